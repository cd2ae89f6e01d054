namespace Freshet.Sql.Ast;

/// <summary>A parenthesised query used as a value: <c>(SELECT MAX(price) FROM bid)</c>.</summary>
/// <param name="Query">The subquery.</param>
public sealed record ScalarSubquery(QueryExpression Query) : SqlExpression;
