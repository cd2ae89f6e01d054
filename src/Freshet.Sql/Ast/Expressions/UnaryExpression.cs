namespace Freshet.Sql.Ast;

/// <summary>A prefix operator applied to an operand.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Operand">The operand.</param>
public sealed record UnaryExpression(UnaryOperator Operator, SqlExpression Operand) : SqlExpression;
