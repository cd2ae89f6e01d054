namespace Freshet.Sql.Ast;

/// <summary><c>SELECT [DISTINCT] items [FROM ...] [WHERE ...] [GROUP BY ...] [HAVING ...] [WINDOW ...]</c>.</summary>
/// <param name="Distinct">Whether <c>DISTINCT</c> was written.</param>
/// <param name="Items">The projection; never empty.</param>
/// <param name="From">The source, or null for a SELECT without FROM.</param>
/// <param name="Where">The filter, or null.</param>
/// <param name="GroupBy">The grouping keys (including <c>window_start</c>/<c>window_end</c> of a window TVF); may be empty.</param>
/// <param name="Having">The group filter, or null.</param>
/// <param name="Windows">Named windows of the <c>WINDOW</c> clause; may be empty.</param>
public sealed record SelectQuery(
    bool Distinct,
    NodeList<SelectItem> Items,
    TableReference? From,
    SqlExpression? Where,
    NodeList<SqlExpression> GroupBy,
    SqlExpression? Having,
    NodeList<NamedWindow> Windows) : QueryExpression;
