namespace Freshet.Streaming.Connectors;

/// <summary>Where a log topic source starts reading each partition (Flink's <c>OffsetsInitializer</c>).</summary>
public sealed class StartingOffsets
{
    private StartingOffsets(StartingOffsetsKind kind, long value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>The first stored offset (<c>LogStartOffset</c>).</summary>
    public static StartingOffsets Earliest { get; } = new(StartingOffsetsKind.Earliest, 0);

    /// <summary>The end of the log when the job starts (<c>LogEndOffset</c>): only new records.</summary>
    public static StartingOffsets Latest { get; } = new(StartingOffsetsKind.Latest, 0);

    internal StartingOffsetsKind Kind { get; }

    internal long Value { get; }

    /// <summary>The given offset in every partition (clamped to the stored range).</summary>
    public static StartingOffsets Offset(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return new(StartingOffsetsKind.Offset, offset);
    }

    /// <summary>The first record whose timestamp is at least <paramref name="timestampMs"/> (the log end when none is).</summary>
    public static StartingOffsets Timestamp(long timestampMs) => new(StartingOffsetsKind.Timestamp, timestampMs);
}
