namespace Freshet.Sql.Ast;

/// <summary>An infix operator applied to two operands.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Left">The left operand.</param>
/// <param name="Right">The right operand.</param>
public sealed record BinaryExpression(BinaryOperator Operator, SqlExpression Left, SqlExpression Right) : SqlExpression;
