namespace Freshet.Sql.Ast;

/// <summary><c>expr [ASC | DESC] [NULLS FIRST | LAST]</c>.</summary>
/// <param name="Expression">The sort key.</param>
/// <param name="Direction">The direction if written, else null (ascending).</param>
/// <param name="Nulls">The NULL placement if written, else null.</param>
public sealed record OrderByItem(SqlExpression Expression, SortDirection? Direction, NullOrdering? Nulls) : SqlNode;
