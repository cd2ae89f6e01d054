namespace Freshet.Sql.Ast;

/// <summary><c>x [NOT] LIKE pattern [ESCAPE c]</c>.</summary>
/// <param name="Operand">The tested value.</param>
/// <param name="Pattern">The pattern.</param>
/// <param name="Escape">The escape character expression, or null.</param>
/// <param name="Negated">Whether <c>NOT</c> was written.</param>
public sealed record LikeExpression(SqlExpression Operand, SqlExpression Pattern, SqlExpression? Escape, bool Negated) : SqlExpression;
