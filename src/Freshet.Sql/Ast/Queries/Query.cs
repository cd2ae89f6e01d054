namespace Freshet.Sql.Ast;

/// <summary>
/// A query body with its common table expressions, ordering and limit:
/// <c>WITH a AS (...) body ORDER BY ... LIMIT n</c>. The parser builds one only when at least one of
/// <see cref="With"/>, <see cref="OrderBy"/> or <see cref="Limit"/> is present, so a plain SELECT is a
/// <see cref="SelectQuery"/>.
/// </summary>
/// <param name="With">The common table expressions, in order; may be empty.</param>
/// <param name="Body">The query they apply to.</param>
/// <param name="OrderBy">The sort keys; may be empty.</param>
/// <param name="Limit">The LIMIT expression, or null.</param>
public sealed record Query(NodeList<CommonTableExpression> With, QueryExpression Body, NodeList<OrderByItem> OrderBy, SqlExpression? Limit) : QueryExpression;
