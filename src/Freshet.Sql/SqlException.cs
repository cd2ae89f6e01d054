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

    /// <summary>Creates an exception about something that has no position in statement text (a table's options, a
    /// record's bytes): <see cref="Span"/> is the default span, and <see cref="Line"/> and <see cref="Column"/> are 0.</summary>
    /// <param name="problem">What is wrong.</param>
    /// <param name="message">The whole message, <paramref name="problem"/> with where it was found if that is known.</param>
    /// <param name="innerException">The exception that revealed the problem, or null.</param>
    protected SqlException(string problem, string message, Exception? innerException)
        : base(message, innerException)
    {
        Problem = problem;
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
