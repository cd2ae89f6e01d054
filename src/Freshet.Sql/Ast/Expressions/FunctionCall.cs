namespace Freshet.Sql.Ast;

/// <summary>
/// A call of a scalar, aggregate or window function: <c>MOD(auction, 123)</c>, <c>COUNT(*)</c>,
/// <c>COUNT(DISTINCT bidder)</c>, <c>SUM(x) FILTER (WHERE y &gt; 0)</c>, <c>ROW_NUMBER() OVER (...)</c>, and the
/// niladic <c>CURRENT_TIMESTAMP</c>-style functions written without parentheses. Which function a name means is
/// resolved by the binder.
/// </summary>
/// <param name="Name">The function name.</param>
/// <param name="Arguments">The arguments; empty for <c>f()</c> and <c>COUNT(*)</c>.</param>
public sealed record FunctionCall(ObjectName Name, NodeList<SqlExpression> Arguments) : SqlExpression
{
    /// <summary>Whether <c>DISTINCT</c> was written before the arguments.</summary>
    public bool Distinct { get; init; }

    /// <summary>Whether the argument was <c>*</c>, as in <c>COUNT(*)</c>.</summary>
    public bool StarArgument { get; init; }

    /// <summary>Whether the call was written without parentheses (<c>CURRENT_TIMESTAMP</c>, <c>LOCALTIMESTAMP</c>, ...).</summary>
    public bool WithoutParentheses { get; init; }

    /// <summary>The <c>FILTER (WHERE ...)</c> condition of an aggregate call, or null.</summary>
    public SqlExpression? Filter { get; init; }

    /// <summary>The <c>OVER</c> window of a window or OVER aggregate call, or null.</summary>
    public WindowSpecification? Over { get; init; }
}
