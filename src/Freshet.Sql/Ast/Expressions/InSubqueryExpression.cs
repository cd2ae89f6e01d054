namespace Freshet.Sql.Ast;

/// <summary><c>x [NOT] IN (SELECT ...)</c>.</summary>
/// <param name="Operand">The tested value.</param>
/// <param name="Query">The subquery.</param>
/// <param name="Negated">Whether <c>NOT</c> was written.</param>
public sealed record InSubqueryExpression(SqlExpression Operand, QueryExpression Query, bool Negated) : SqlExpression;
