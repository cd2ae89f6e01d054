namespace Freshet.Sql.Ast;

/// <summary><c>x [NOT] IN (a, b, ...)</c>.</summary>
/// <param name="Operand">The tested value.</param>
/// <param name="Values">The list; never empty.</param>
/// <param name="Negated">Whether <c>NOT</c> was written.</param>
public sealed record InListExpression(SqlExpression Operand, NodeList<SqlExpression> Values, bool Negated) : SqlExpression;
