namespace Freshet.Sql.Planning;

/// <summary>The frame of an OVER aggregation, which always ends at the current row.</summary>
/// <param name="Rows">Whether the frame counts rows (ROWS) rather than time (RANGE).</param>
/// <param name="Preceding">How far back the frame starts: rows (ROWS) or milliseconds (RANGE); null for UNBOUNDED PRECEDING.</param>
internal sealed record OverFrame(bool Rows, long? Preceding)
{
    /// <summary>The frame as EXPLAIN shows it (Flink's text, with RANGE offsets in milliseconds).</summary>
    public override string ToString() =>
        $"{(Rows ? "ROWS" : "RANGE")} BETWEEN {(Preceding is { } p ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "UNBOUNDED")} PRECEDING AND CURRENT ROW";
}
