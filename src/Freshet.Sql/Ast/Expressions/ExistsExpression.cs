namespace Freshet.Sql.Ast;

/// <summary><c>EXISTS (SELECT ...)</c>.</summary>
/// <param name="Query">The subquery.</param>
public sealed record ExistsExpression(QueryExpression Query) : SqlExpression;
