namespace Freshet.Sql.Ast;

/// <summary><c>ARRAY[...]</c>, <c>MAP[...]</c> or <c>ROW(...)</c>: a composite value built from its elements.</summary>
/// <param name="Kind">What is built.</param>
/// <param name="Elements">The elements in order (for a map, keys and values alternating); never empty.</param>
public sealed record ValueConstructor(ConstructorKind Kind, NodeList<SqlExpression> Elements) : SqlExpression;
