
namespace Freshet.Sql.Binding;

/// <summary>A subquery in an expression: scalar, EXISTS, or IN (with <see cref="Operand"/>).</summary>
/// <param name="Kind">Scalar, Exists or In.</param>
/// <param name="Query">The bound subquery. When it is a SELECT block, its WHERE, SELECT list, GROUP BY and HAVING
/// may read columns of the enclosing query's FROM row (<see cref="BoundOuterReference"/>: a correlated subquery);
/// nothing deeper in it may.</param>
/// <param name="Operand">The value tested by IN, or null.</param>
/// <param name="Negated">Whether it is NOT IN or NOT EXISTS.</param>
public sealed record BoundSubquery(BoundSubqueryKind Kind, BoundRelation Query, BoundExpression? Operand, bool Negated) : BoundExpression;
