
namespace Freshet.Sql.Binding;

/// <summary>A sort key of ORDER BY or OVER.</summary>
/// <param name="Expression">The key over the input row.</param>
/// <param name="Descending">Whether the order is descending.</param>
public sealed record BoundSortKey(BoundExpression Expression, bool Descending)
{
    /// <summary>Where NULLs go when written (<c>NULLS FIRST</c> is true, <c>NULLS LAST</c> false), or null for Flink's
    /// default: first when ascending, last when descending.</summary>
    public bool? NullsFirst { get; init; }

    /// <summary>Whether NULLs sort before every value, with the default applied.</summary>
    public bool NullsFirstOrDefault => NullsFirst ?? !Descending;
}
