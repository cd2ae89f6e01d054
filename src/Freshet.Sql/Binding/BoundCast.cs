
namespace Freshet.Sql.Binding;

/// <summary><c>CAST(operand AS type)</c> or <c>TRY_CAST</c>, and the implicit casts the binder adds for INSERT;
/// the target type is <see cref="BoundExpression.Type"/>.</summary>
/// <param name="Operand">The value to convert.</param>
/// <param name="Try">Whether a failed conversion gives NULL (TRY_CAST) instead of an error.</param>
public sealed record BoundCast(BoundExpression Operand, bool Try) : BoundExpression;
