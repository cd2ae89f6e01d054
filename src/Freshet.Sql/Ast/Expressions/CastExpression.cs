namespace Freshet.Sql.Ast;

/// <summary><c>CAST(x AS type)</c>, or <c>TRY_CAST(x AS type)</c> which yields NULL where the conversion fails.</summary>
/// <param name="Operand">The value to convert.</param>
/// <param name="Type">The target type.</param>
/// <param name="Try">Whether it was written <c>TRY_CAST</c>.</param>
public sealed record CastExpression(SqlExpression Operand, SqlDataType Type, bool Try) : SqlExpression;
