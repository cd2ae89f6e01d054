namespace Freshet.Streaming.Connectors;

/// <summary>How a Freshet.Log topic source reads.</summary>
public sealed record LogSourceOptions
{
    /// <summary>Partitions to read; null for all partitions of the topic when the job starts.</summary>
    public IReadOnlyList<int>? Partitions { get; init; }

    /// <summary>Where each partition starts; default earliest.</summary>
    public StartingOffsets StartingOffsets { get; init; } = StartingOffsets.Earliest;

    /// <summary>
    /// Bounded (batch) mode: read each partition up to its <c>LogEndOffset</c> at the time the source opens, then end.
    /// Unbounded (default): keep reading new records until the job is cancelled.
    /// </summary>
    public bool Bounded { get; init; }

    /// <summary>Bytes per read of one partition (at least one whole batch is always read).</summary>
    public int MaxReadBytes { get; init; } = 1024 * 1024;
}
