using Freshet.Log.Durability;

namespace Freshet.Log.Topics;

/// <summary>
/// Per-topic settings: every topic setting Apache Kafka 3.x defines, with Kafka's names, defaults and
/// ranges, plus Freshet's <c>flush.policy</c>. Durations are in milliseconds and sizes in bytes; <c>-1</c>
/// means unlimited where noted. Settings that only matter to a replicated or tiered cluster
/// (replication, throttling, remote storage, down-conversion, preallocation, ...) are accepted, kept
/// and described but change nothing on a single node; <c>docs/broker.md</c> lists which are which.
/// Immutable; thread-safe.
/// </summary>
public sealed record TopicConfig
{
    /// <summary>The defaults every topic starts from.</summary>
    public static TopicConfig Default { get; } = new();

    /// <summary>A segment is rolled before it would exceed this size (<c>segment.bytes</c>, default 1 GiB).</summary>
    public int SegmentBytes { get; init; } = 1024 * 1024 * 1024;

    /// <summary>A segment is rolled once its first append is this old (<c>segment.ms</c>, default 7 days).</summary>
    public long SegmentMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary>Random jitter subtracted from the roll time in Kafka (<c>segment.jitter.ms</c>, default 0); accepted, no effect.</summary>
    public long SegmentJitterMs { get; init; }

    /// <summary>Size Kafka preallocates for a segment's offset index (<c>segment.index.bytes</c>, default 10 MiB); accepted, no effect (Freshet's indexes grow as needed).</summary>
    public int SegmentIndexBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Segments whose newest record is older than this are deleted (<c>retention.ms</c>, default 7 days, -1 unlimited).</summary>
    public long RetentionMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary>Oldest segments are deleted while the partition is larger than this (<c>retention.bytes</c>, default -1; any negative value is unlimited, as in Kafka).</summary>
    public long RetentionBytes { get; init; } = -1;

    /// <summary>Delete, compact, or both (<c>cleanup.policy</c>, default delete).</summary>
    public CleanupPolicy CleanupPolicy { get; init; } = CleanupPolicy.Delete;

    /// <summary>How long compaction keeps a tombstone visible (<c>delete.retention.ms</c>, default 1 day).</summary>
    public long DeleteRetentionMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary>A record younger than this is never compacted away (<c>min.compaction.lag.ms</c>, default 0).</summary>
    public long MinCompactionLagMs { get; init; }

    /// <summary>Longest a record stays uncompacted in Kafka (<c>max.compaction.lag.ms</c>, default unlimited); accepted, no effect (every maintenance pass compacts all sealed segments).</summary>
    public long MaxCompactionLagMs { get; init; } = long.MaxValue;

    /// <summary>Dirty share of the log before Kafka compacts it (<c>min.cleanable.dirty.ratio</c>, default 0.5); accepted, no effect.</summary>
    public double MinCleanableDirtyRatio { get; init; } = 0.5;

    /// <summary>Largest batch accepted, header included, after the topic's compression (<c>max.message.bytes</c>, default 1 MiB + 12).</summary>
    public int MaxBatchBytes { get; init; } = 1024 * 1024 + 12;

    /// <summary>Bytes between entries of the sparse offset and time indexes (<c>index.interval.bytes</c>, default 4096).</summary>
    public int IndexIntervalBytes { get; init; } = 4096;

    /// <summary>When appends are forced to disk (<c>flush.policy</c>: <c>os</c>, <c>every-append</c>, <c>interval:MS</c>, <c>bytes:N</c>).</summary>
    public FlushPolicy FlushPolicy { get; init; } = FlushPolicy.OperatingSystem;

    /// <summary>fsync once this many records are unflushed (<c>flush.messages</c>, default unlimited); applies on top of <see cref="FlushPolicy"/>.</summary>
    public long FlushMessages { get; init; } = long.MaxValue;

    /// <summary>fsync once the oldest unflushed append is this old (<c>flush.ms</c>, default unlimited; 0 = every append); applies on top of <see cref="FlushPolicy"/>.</summary>
    public long FlushMs { get; init; } = long.MaxValue;

    /// <summary>How long Kafka keeps a deleted segment's files (<c>file.delete.delay.ms</c>, default 60000); accepted, no effect (the store's <c>LogStoreOptions.FileDeleteDelayMs</c> applies).</summary>
    public long FileDeleteDelayMs { get; init; } = 60_000;

    /// <summary>The codec batches are stored with (<c>compression.type</c>, default <c>producer</c>: as sent).</summary>
    public TopicCompression Compression { get; init; } = TopicCompression.Producer;

    /// <summary>GZIP level used when the log re-encodes batches for <c>compression.type=gzip</c> (<c>compression.gzip.level</c>, -1 = 6, or 1-9; default -1).</summary>
    public int CompressionGzipLevel { get; init; } = -1;

    /// <summary>LZ4 level used when the log re-encodes batches for <c>compression.type=lz4</c> (<c>compression.lz4.level</c>, 1-17, default 9: the fast compressor, any other level high compression, as in Kafka).</summary>
    public int CompressionLz4Level { get; init; } = 9;

    /// <summary>Zstandard level used when the log re-encodes batches for <c>compression.type=zstd</c> (<c>compression.zstd.level</c>, -131072 to 22, default 3).</summary>
    public int CompressionZstdLevel { get; init; } = 3;

    /// <summary>Which time record timestamps hold (<c>message.timestamp.type</c>, default CreateTime).</summary>
    public MessageTimestampType MessageTimestampType { get; init; } = MessageTimestampType.CreateTime;

    /// <summary>
    /// With CreateTime, a batch holding a record more than this many milliseconds older than the append
    /// time is refused with INVALID_TIMESTAMP (<c>message.timestamp.before.max.ms</c>, default unlimited).
    /// </summary>
    public long MessageTimestampBeforeMaxMs { get; init; } = long.MaxValue;

    /// <summary>
    /// With CreateTime, a batch holding a record more than this many milliseconds newer than the append
    /// time is refused with INVALID_TIMESTAMP (<c>message.timestamp.after.max.ms</c>, default unlimited).
    /// </summary>
    public long MessageTimestampAfterMaxMs { get; init; } = long.MaxValue;

    /// <summary>
    /// Kafka's older form of both bounds above (<c>message.timestamp.difference.max.ms</c>, default
    /// unlimited): used for each of them that is left unlimited.
    /// </summary>
    public long MessageTimestampDifferenceMaxMs { get; init; } = long.MaxValue;

    /// <summary>The record format Kafka wrote before 3.0 (<c>message.format.version</c>, default 3.0-IV1); accepted, no effect (batches are always v2).</summary>
    public string MessageFormatVersion { get; init; } = "3.0-IV1";

    /// <summary>Whether Kafka down-converts for old consumers (<c>message.downconversion.enable</c>, default true); accepted, no effect (no fetch below v4 is served).</summary>
    public bool MessageDownconversionEnable { get; init; } = true;

    /// <summary>Preallocate segment files (<c>preallocate</c>, default false); accepted, no effect.</summary>
    public bool Preallocate { get; init; }

    /// <summary>Replicas that must acknowledge an acks=all write (<c>min.insync.replicas</c>, default 1); accepted, no effect (the only replica always acknowledges).</summary>
    public int MinInsyncReplicas { get; init; } = 1;

    /// <summary>Whether an out-of-sync replica may become leader (<c>unclean.leader.election.enable</c>, default false); accepted, no effect.</summary>
    public bool UncleanLeaderElectionEnable { get; init; }

    /// <summary>Replicas throttled on the leader (<c>leader.replication.throttled.replicas</c>, default empty); accepted, no effect.</summary>
    public string LeaderReplicationThrottledReplicas { get; init; } = string.Empty;

    /// <summary>Replicas throttled on followers (<c>follower.replication.throttled.replicas</c>, default empty); accepted, no effect.</summary>
    public string FollowerReplicationThrottledReplicas { get; init; } = string.Empty;

    /// <summary>Tiered storage (<c>remote.storage.enable</c>, default false); true is refused, as by a Kafka broker without tiered storage.</summary>
    public bool RemoteStorageEnable { get; init; }

    /// <summary>Local retention under tiered storage (<c>local.retention.ms</c>, default -2 = retention.ms); accepted, no effect.</summary>
    public long LocalRetentionMs { get; init; } = -2;

    /// <summary>Local retention under tiered storage (<c>local.retention.bytes</c>, default -2 = retention.bytes); accepted, no effect.</summary>
    public long LocalRetentionBytes { get; init; } = -2;

    /// <summary>Stop copying to tiered storage (<c>remote.log.copy.disable</c>, default false); accepted, no effect.</summary>
    public bool RemoteLogCopyDisable { get; init; }

    /// <summary>Delete tiered data when tiering is disabled (<c>remote.log.delete.on.disable</c>, default false); accepted, no effect.</summary>
    public bool RemoteLogDeleteOnDisable { get; init; }

    /// <summary>The configuration names this record understands, in Kafka's spelling.</summary>
    public static IReadOnlyList<string> Names { get; } = TopicConfigKeys.All.Select(key => key.Name).ToArray();

    /// <summary>The earliest record timestamp accepted relative to the append time, in ms (the before bound, or the difference bound when the before bound is unlimited).</summary>
    internal long EffectiveTimestampBeforeMaxMs => MessageTimestampBeforeMaxMs != long.MaxValue ? MessageTimestampBeforeMaxMs : MessageTimestampDifferenceMaxMs;

    /// <summary>The latest record timestamp accepted relative to the append time, in ms (the after bound, or the difference bound when the after bound is unlimited).</summary>
    internal long EffectiveTimestampAfterMaxMs => MessageTimestampAfterMaxMs != long.MaxValue ? MessageTimestampAfterMaxMs : MessageTimestampDifferenceMaxMs;

    /// <summary>Checks that every value is in range, and the rules between settings.</summary>
    /// <exception cref="LogException">With <see cref="LogErrorCode.InvalidConfig"/>, naming the setting.</exception>
    public void Validate()
    {
        if (FlushPolicy is null)
        {
            throw TopicConfigKeys.Invalid("flush.policy", null, "a value is required");
        }

        if (!Enum.IsDefined(Compression))
        {
            throw TopicConfigKeys.Invalid("compression.type", Compression, "is not a known codec");
        }

        if (!Enum.IsDefined(MessageTimestampType))
        {
            throw TopicConfigKeys.Invalid("message.timestamp.type", MessageTimestampType, "must be CreateTime or LogAppendTime");
        }

        // Each setting is checked through its table entry, so the rules for a value set in code and for one
        // parsed from text are the same.
        var config = Default;
        foreach (var key in TopicConfigKeys.All)
        {
            if (key.Name != "cleanup.policy")
            {
                config = key.Apply(config, key.Read(this) ?? throw TopicConfigKeys.Invalid(key.Name, null, "a value is required"));
            }
        }

        if (CleanupPolicy == 0 || (CleanupPolicy & ~(CleanupPolicy.Delete | CleanupPolicy.Compact)) != 0)
        {
            throw TopicConfigKeys.Invalid("cleanup.policy", CleanupPolicy, "must be delete, compact or both");
        }

        if (SegmentBytes < 1024)
        {
            throw TopicConfigKeys.Invalid("segment.bytes", SegmentBytes, "must be at least 1024");
        }

        if (MaxBatchBytes < Records.RecordBatchHeader.Size)
        {
            throw TopicConfigKeys.Invalid("max.message.bytes", MaxBatchBytes, $"must be at least {Records.RecordBatchHeader.Size}");
        }

        if (MinCompactionLagMs > MaxCompactionLagMs)
        {
            throw TopicConfigKeys.Invalid("min.compaction.lag.ms", MinCompactionLagMs, $"must not be greater than max.compaction.lag.ms ({MaxCompactionLagMs})");
        }

        if (RemoteStorageEnable)
        {
            throw TopicConfigKeys.Invalid("remote.storage.enable", "true", "tiered storage is not available on this broker, so a topic cannot use remote log storage");
        }

    }

    /// <summary>Every setting as a Kafka-named string (as DescribeConfigs shows them), in name order.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary()
    {
        var settings = new Dictionary<string, string>(TopicConfigKeys.All.Count, StringComparer.Ordinal);
        foreach (var key in TopicConfigKeys.All)
        {
            settings[key.Name] = key.Read(this);
        }

        return settings;
    }

    /// <summary>
    /// The settings whose value differs from <paramref name="defaults"/>: what a topic overrides, as Kafka
    /// keeps per topic (the rest follow the defaults).
    /// </summary>
    public IReadOnlyDictionary<string, string> OverridesOf(TopicConfig defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in TopicConfigKeys.All)
        {
            var value = key.Read(this);
            if (value != key.Read(defaults))
            {
                overrides[key.Name] = value;
            }
        }

        return overrides;
    }

    /// <summary>
    /// Returns a copy of this configuration with the given Kafka-named settings applied.
    /// </summary>
    /// <exception cref="LogException">With <see cref="LogErrorCode.InvalidConfig"/> for an unknown name or a bad value; the message names the setting.</exception>
    public TopicConfig With(IEnumerable<KeyValuePair<string, string>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = this;
        foreach (var (name, value) in settings)
        {
            if (!TopicConfigKeys.TryGet(name, out var key))
            {
                throw new LogException(LogErrorCode.InvalidConfig, $"Unknown topic configuration '{name}'. Known: {string.Join(", ", Names)}.");
            }

            if (value is null)
            {
                throw TopicConfigKeys.Invalid(name, null, "a value is required");
            }

            config = key.Apply(config, value);
        }

        config.Validate();
        return config;
    }
}
