using Freshet.Sql.Ast;

namespace Freshet.Sql.Binding;

/// <summary>ORDER BY and/or LIMIT of a query; keys index the input row.</summary>
/// <param name="Input">The sorted relation.</param>
/// <param name="Keys">Sort keys; may be empty with a LIMIT.</param>
/// <param name="Limit">The LIMIT expression, or null.</param>
public sealed record BoundSort(BoundRelation Input, NodeList<BoundSortKey> Keys, BoundExpression? Limit) : BoundRelation;
