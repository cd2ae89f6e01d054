using Freshet.Sql.Ast;

namespace Freshet.Sql.Binding;

/// <summary>The OVER clause of a call: partition keys, ordering and frame.</summary>
/// <param name="PartitionBy">Partition keys over the input row.</param>
/// <param name="OrderBy">Sort keys over the input row.</param>
/// <param name="Frame">The frame as written, or null for the default.</param>
public sealed record BoundOverWindow(NodeList<BoundExpression> PartitionBy, NodeList<BoundSortKey> OrderBy, WindowFrame? Frame)
{
    /// <summary>For an OVER aggregation: whether the frame counts rows (<c>ROWS</c>) rather than a range of the
    /// order key (<c>RANGE</c>, also the default frame's unit).</summary>
    public bool Rows { get; init; }

    /// <summary>For an OVER aggregation: how far before the current row the frame starts, a row count (BIGINT
    /// literal, ROWS) or a day-time interval literal (RANGE); <c>CURRENT ROW</c> is a zero offset. Null for
    /// <c>UNBOUNDED PRECEDING</c>, which is also the default frame. The frame always ends at the current row.</summary>
    public BoundExpression? Preceding { get; init; }
}
