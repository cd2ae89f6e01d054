using Freshet.Sql.Syntax;

namespace Freshet.Sql;

/// <summary>
/// A statement parsed but is not valid against the catalog: an unknown or ambiguous name, a type mismatch, an
/// aggregate in the wrong place, a bad table definition, or a parsed feature the binder refuses by name. It is the
/// only exception <see cref="Catalog.SqlCatalog"/> and <see cref="Binding.SqlBinder"/> throw for bad statements.
/// </summary>
public sealed class SqlValidationException : SqlException
{
    /// <summary>Creates an exception about the statement text at <paramref name="span"/>.</summary>
    /// <param name="problem">What is wrong, naming the object ("Column 'pric' not found in table 'bid'").</param>
    /// <param name="span">The span of the offending syntax node.</param>
    public SqlValidationException(string problem, SqlSpan span)
        : base(problem, span)
    {
    }

    /// <summary>Creates an exception about a table's definition where no statement position is known, such as a
    /// connector or format option checked when a job is planned (<see cref="SqlException.Line"/> is 0).</summary>
    /// <param name="problem">What is wrong, naming the table and option ("Table 't': option 'scan.startup.mode' ...").</param>
    public SqlValidationException(string problem)
        : base(problem, problem, null)
    {
    }
}
