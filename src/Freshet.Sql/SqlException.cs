using Freshet.Sql.Syntax;

namespace Freshet.Sql;

/// <summary>
/// Base of the exceptions the SQL front end throws for bad input: <see cref="SqlParseException"/> for text that does
/// not parse, <see cref="SqlValidationException"/> for statements that parse but do not bind against the catalog,
/// <see cref="SqlRuntimeException"/> for a value that fails while a statement runs.
/// A shell catches this one type, shows the message with its position and keeps running.
/// </summary>
public abstract class SqlException : Exception
{
    /// <summary>Creates an exception about the text at <paramref name="span"/>.</summary>
    /// <param name="problem">What is wrong, without the position.</param>
    /// <param name="span">Where in the statement text the problem was found.</param>
    protected SqlException(string problem, SqlSpan span)
        : this(problem, span, null)
    {
    }

    /// <summary>Creates an exception about the text at <paramref name="span"/> caused by <paramref name="inner"/>.</summary>
    /// <param name="problem">What is wrong, without the position.</param>
    /// <param name="span">Where in the statement text the problem was found.</param>
    /// <param name="inner">The exception behind the problem, or null.</param>
    protected SqlException(string problem, SqlSpan span, Exception? inner)
        : base($"{problem} at {span}", inner)
    {
        Problem = problem;
        Span = span;
    }

    /// <summary>What is wrong, without the position that <see cref="Exception.Message"/> appends.</summary>
    public string Problem { get; }

    /// <summary>Where in the statement text the problem was found.</summary>
    public SqlSpan Span { get; }

    /// <summary>Line of the offending text, counted from 1.</summary>
    public int Line => Span.Line;

    /// <summary>Column of the offending text, counted from 1.</summary>
    public int Column => Span.Column;
}
