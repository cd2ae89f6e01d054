namespace Freshet.Streaming.Connectors;

/// <summary>Where a log topic or Kafka source starts reading each partition (Flink's <c>OffsetsInitializer</c>).</summary>
public sealed class StartingOffsets
{
    private StartingOffsets(StartingOffsetsKind kind, long value, string? groupId = null, StartingOffsets? fallback = null)
    {
        Kind = kind;
        Value = value;
        GroupId = groupId;
        Fallback = fallback;
    }

    /// <summary>The first stored offset (<c>LogStartOffset</c>).</summary>
    public static StartingOffsets Earliest { get; } = new(StartingOffsetsKind.Earliest, 0);

    /// <summary>The end of the log when the job starts (<c>LogEndOffset</c>): only new records.</summary>
    public static StartingOffsets Latest { get; } = new(StartingOffsetsKind.Latest, 0);

    internal StartingOffsetsKind Kind { get; }

    internal long Value { get; }

    /// <summary>The consumer group of <see cref="StartingOffsetsKind.Committed"/>.</summary>
    internal string? GroupId { get; }

    /// <summary>Where a partition without a committed offset starts (<see cref="StartingOffsetsKind.Committed"/>).</summary>
    internal StartingOffsets? Fallback { get; }

    /// <summary>The given offset in every partition (clamped to the stored range).</summary>
    public static StartingOffsets Offset(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return new(StartingOffsetsKind.Offset, offset);
    }

    /// <summary>The first record whose timestamp is at least <paramref name="timestampMs"/> (the log end when none is).</summary>
    public static StartingOffsets Timestamp(long timestampMs) => new(StartingOffsetsKind.Timestamp, timestampMs);

    /// <summary>
    /// The offsets committed by consumer group <paramref name="groupId"/> (the next record the group would consume);
    /// a partition the group has no commit for starts at <paramref name="whenNoCommit"/> (default
    /// <see cref="Earliest"/>; Kafka's <c>auto.offset.reset</c>). A committed offset outside the stored range is
    /// clamped to it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="groupId"/> is empty, or <paramref name="whenNoCommit"/> is itself committed offsets.</exception>
    public static StartingOffsets Committed(string groupId, StartingOffsets? whenNoCommit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        if (whenNoCommit?.Kind == StartingOffsetsKind.Committed)
        {
            throw new ArgumentException("The fallback of committed offsets cannot be committed offsets.", nameof(whenNoCommit));
        }

        return new(StartingOffsetsKind.Committed, 0, groupId, whenNoCommit ?? Earliest);
    }
}
