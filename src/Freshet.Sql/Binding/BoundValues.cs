using Freshet.Sql.Ast;

namespace Freshet.Sql.Binding;

/// <summary>A <c>VALUES</c> list: constant rows with the columns' common types.</summary>
/// <param name="Rows">The rows; each has one expression per column.</param>
public sealed record BoundValues(NodeList<NodeList<BoundExpression>> Rows) : BoundRelation;
