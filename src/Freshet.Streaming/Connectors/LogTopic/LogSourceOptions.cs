namespace Freshet.Streaming.Connectors.LogTopic;

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

    /// <summary>
    /// Kafka's <c>isolation.level</c>. True (the default, as Kafka clients and Kafka Streams under exactly-once):
    /// read_committed — records are read only up to the partition's last stable offset, so data of an open transaction
    /// waits until it is decided, and records of aborted transactions are skipped; a bounded source ends at the last
    /// stable offset when it opens. False: read_uncommitted — every record up to the log end, aborted ones included.
    /// </summary>
    public bool ReadCommitted { get; init; } = true;

    /// <summary>Bytes per read of one partition (at least one whole batch is always read).</summary>
    public int MaxReadBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// When set, the source commits its positions (the next offset of each partition it read) to this consumer
    /// group of the store's <c>GroupOffsets</c>, so that a later job can start with <see cref="StartingOffsets.Committed"/>.
    /// Without checkpoints: every <see cref="CommitInterval"/> and at end of input, the positions of records handed to
    /// the job, as Kafka's <c>enable.auto.commit</c> does (at most once across a crash). With checkpoints: when a
    /// checkpoint completes, the positions it stored, and never otherwise (<see cref="CommitInterval"/> is not used),
    /// as Flink's Kafka source does; a restore still resumes from the checkpoint, not from the group.
    /// </summary>
    public string? CommitToGroup
    {
        get;
        init
        {
            if (value is not null)
            {
                ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(CommitToGroup));
            }

            field = value;
        }
    }

    /// <summary>How often positions are committed with <see cref="CommitToGroup"/> (processing time); default 5 s.</summary>
    public TimeSpan CommitInterval
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(CommitInterval));
            field = value;
        }
    } = TimeSpan.FromSeconds(5);
}
