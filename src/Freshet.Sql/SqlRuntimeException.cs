using Freshet.Sql.Syntax;

namespace Freshet.Sql;

/// <summary>
/// A statement that bound and planned failed while it ran, on one row: a CAST of a value that does not convert, a
/// division by zero, a regular expression that timed out or does not compile. The message names the function and
/// the value; <see cref="SqlException.Span"/> is the expression that failed in the statement text.
/// </summary>
public sealed class SqlRuntimeException : SqlException
{
    /// <summary>Creates an exception about evaluating the expression at <paramref name="span"/>.</summary>
    /// <param name="problem">What went wrong, naming the function and the value ("Cannot cast 'abc' to INT").</param>
    /// <param name="span">The span of the expression that failed.</param>
    /// <param name="inner">The .NET exception behind the failure, if any.</param>
    public SqlRuntimeException(string problem, SqlSpan span, Exception? inner = null)
        : base(problem, span, inner)
    {
    }
}
