using Freshet.Sql.Ast;

namespace Freshet.Sql.Binding;

/// <summary>The OVER clause of a call: partition keys, ordering and frame.</summary>
/// <param name="PartitionBy">Partition keys over the input row.</param>
/// <param name="OrderBy">Sort keys over the input row.</param>
/// <param name="Frame">The frame as written, or null for the default.</param>
public sealed record BoundOverWindow(NodeList<BoundExpression> PartitionBy, NodeList<BoundSortKey> OrderBy, WindowFrame? Frame);
