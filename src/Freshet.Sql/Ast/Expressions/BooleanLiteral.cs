namespace Freshet.Sql.Ast;

/// <summary><c>TRUE</c> or <c>FALSE</c>.</summary>
/// <param name="Value">The truth value.</param>
public sealed record BooleanLiteral(bool Value) : SqlExpression;
