
namespace Freshet.Sql.Binding;

/// <summary>A sort key of ORDER BY or OVER.</summary>
/// <param name="Expression">The key over the input row.</param>
/// <param name="Descending">Whether the order is descending.</param>
public sealed record BoundSortKey(BoundExpression Expression, bool Descending);
