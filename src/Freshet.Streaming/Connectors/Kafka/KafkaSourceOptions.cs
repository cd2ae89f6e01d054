namespace Freshet.Streaming.Connectors.Kafka;

/// <summary>How a Kafka source (<see cref="KafkaStreamExtensions.FromKafka{TKey, TValue}"/>) connects and reads.</summary>
public sealed record KafkaSourceOptions
{
    /// <summary>Kafka's <c>bootstrap.servers</c>: <c>host:port</c>, comma-separated.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>The topic to read; every partition it has when the job starts is read.</summary>
    public required string Topic { get; init; }

    /// <summary>
    /// The consumer group (Kafka's <c>group.id</c>) positions are committed to (<see cref="CommitOffsets"/>). Defaults
    /// to the group of <see cref="StartingOffsets.Committed"/> when that is the start. The source does not join the
    /// group: partition <c>i</c> is assigned to subtask <c>i % parallelism</c>, as Flink's Kafka source does.
    /// </summary>
    public string? GroupId { get; init; }

    /// <summary>Where each partition starts; default earliest.</summary>
    public StartingOffsets StartingOffsets { get; init; } = StartingOffsets.Earliest;

    /// <summary>Bounded (batch) mode: read each partition up to its end offset (high watermark) at the time the source opens, then end.</summary>
    public bool Bounded { get; init; }

    /// <summary>
    /// Commit positions (the next offset of each partition read) to <see cref="GroupId"/>. Without checkpoints: every
    /// <see cref="CommitInterval"/> and at end of input, the positions of records handed to the job, as Kafka's
    /// <c>enable.auto.commit</c> (at most once across a crash). With checkpoints: when a checkpoint completes, the
    /// positions it stored, and never otherwise (as Flink's Kafka source); a commit Kafka refuses is superseded by the
    /// next checkpoint's and does not fail the job (a restore uses the checkpoint, not the group).
    /// </summary>
    public bool CommitOffsets { get; init; }

    /// <summary>How often positions are committed with <see cref="CommitOffsets"/> (processing time); default 5 s.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long opening the source may wait for metadata and offsets from the cluster; default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Further librdkafka consumer properties (e.g. <c>security.protocol</c>, <c>fetch.max.bytes</c>). They cannot
    /// turn on auto-commit or change the group: the source manages offsets itself.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }

    /// <summary>
    /// Set by application mode: the one partition this reader reads (an application task's), whatever its subtask;
    /// null (the default) spreads every partition over the subtasks.
    /// </summary>
    internal int? OnlyPartition { get; init; }

    /// <summary>The group positions are committed to and committed offsets are read from, or null.</summary>
    internal string? EffectiveGroupId => GroupId ?? StartingOffsets.GroupId;

    /// <summary>
    /// The options of the reader of one application task: only the task's partition, resuming where the application's
    /// group committed (where it has not, at this source's own starting offsets), and never committing positions itself
    /// (the task commits them in its transaction).
    /// </summary>
    internal KafkaSourceOptions ForApplicationTask(Planning.TaskPlacement placement) => this with
    {
        OnlyPartition = placement.Partition,
        StartingOffsets = StartingOffsets.Committed(placement.GroupId, StartingOffsets.Kind == StartingOffsetsKind.Committed ? StartingOffsets.Fallback : StartingOffsets),
        GroupId = null,
        CommitOffsets = false,
    };

    /// <summary>Checks the options; called when the source is added to a job.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(BootstrapServers, nameof(BootstrapServers));
        ArgumentException.ThrowIfNullOrWhiteSpace(Topic, nameof(Topic));
        ArgumentNullException.ThrowIfNull(StartingOffsets, nameof(StartingOffsets));
        if (CommitOffsets && EffectiveGroupId is null)
        {
            throw new ArgumentException("CommitOffsets needs a GroupId (or StartingOffsets.Committed(group)).", nameof(CommitOffsets));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(CommitInterval, TimeSpan.Zero, nameof(CommitInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(RequestTimeout, TimeSpan.FromMilliseconds(1), nameof(RequestTimeout));
        if (Properties is not null)
        {
            foreach (var name in Properties.Keys)
            {
                if (name is "enable.auto.commit" or "group.id" or "enable.auto.offset.store")
                {
                    throw new ArgumentException($"The Kafka source manages '{name}' itself; remove it from Properties.", nameof(Properties));
                }
            }
        }
    }
}
