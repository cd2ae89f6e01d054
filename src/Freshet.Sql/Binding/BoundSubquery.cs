
namespace Freshet.Sql.Binding;

/// <summary>A non-correlated subquery in an expression: scalar, EXISTS, or IN (with <see cref="Operand"/>).</summary>
/// <param name="Kind">Scalar, Exists or In.</param>
/// <param name="Query">The bound subquery; it sees no columns of the enclosing query.</param>
/// <param name="Operand">The value tested by IN, or null.</param>
/// <param name="Negated">Whether it is NOT IN or NOT EXISTS.</param>
public sealed record BoundSubquery(BoundSubqueryKind Kind, BoundRelation Query, BoundExpression? Operand, bool Negated) : BoundExpression;
