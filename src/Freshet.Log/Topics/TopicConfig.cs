using System.Globalization;
using Freshet.Log.Durability;

namespace Freshet.Log.Topics;

/// <summary>
/// Per-topic settings, with Kafka's names and defaults where Kafka has them. Durations are in
/// milliseconds and sizes in bytes; <c>-1</c> means unlimited where noted. Immutable; thread-safe.
/// </summary>
public sealed record TopicConfig
{
    /// <summary>The defaults every topic starts from.</summary>
    public static TopicConfig Default { get; } = new();

    /// <summary>A segment is rolled before it would exceed this size (<c>segment.bytes</c>, default 1 GiB).</summary>
    public int SegmentBytes { get; init; } = 1024 * 1024 * 1024;

    /// <summary>A segment is rolled once its first append is this old (<c>segment.ms</c>, default 7 days).</summary>
    public long SegmentMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary>Segments whose newest record is older than this are deleted (<c>retention.ms</c>, default 7 days, -1 unlimited).</summary>
    public long RetentionMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary>Oldest segments are deleted while the partition is larger than this (<c>retention.bytes</c>, default -1 unlimited).</summary>
    public long RetentionBytes { get; init; } = -1;

    /// <summary>Delete, compact, or both (<c>cleanup.policy</c>, default delete).</summary>
    public CleanupPolicy CleanupPolicy { get; init; } = CleanupPolicy.Delete;

    /// <summary>How long compaction keeps a tombstone visible (<c>delete.retention.ms</c>, default 1 day).</summary>
    public long DeleteRetentionMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary>Largest batch accepted, header included (<c>max.message.bytes</c>, default 1 MiB + 12).</summary>
    public int MaxBatchBytes { get; init; } = 1024 * 1024 + 12;

    /// <summary>Bytes between entries of the sparse offset and time indexes (<c>index.interval.bytes</c>, default 4096).</summary>
    public int IndexIntervalBytes { get; init; } = 4096;

    /// <summary>When appends are forced to disk (<c>flush.policy</c>: <c>os</c>, <c>every-append</c>, <c>interval:MS</c>, <c>bytes:N</c>).</summary>
    public FlushPolicy FlushPolicy { get; init; } = FlushPolicy.OperatingSystem;

    /// <summary>The configuration names this record understands, in Kafka's spelling.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "segment.bytes", "segment.ms", "retention.ms", "retention.bytes", "cleanup.policy",
        "delete.retention.ms", "max.message.bytes", "index.interval.bytes", "flush.policy",
    ];

    /// <summary>Checks that every value is in range.</summary>
    /// <exception cref="LogException">With <see cref="LogErrorCode.InvalidConfig"/>, naming the setting.</exception>
    public void Validate()
    {
        if (SegmentBytes < 1024)
        {
            throw Invalid("segment.bytes", SegmentBytes, "must be at least 1024");
        }

        if (SegmentMs < 1)
        {
            throw Invalid("segment.ms", SegmentMs, "must be positive");
        }

        if (RetentionMs < -1)
        {
            throw Invalid("retention.ms", RetentionMs, "must be -1 (unlimited) or at least 0");
        }

        if (RetentionBytes < -1)
        {
            throw Invalid("retention.bytes", RetentionBytes, "must be -1 (unlimited) or at least 0");
        }

        if (CleanupPolicy == 0 || (CleanupPolicy & ~(CleanupPolicy.Delete | CleanupPolicy.Compact)) != 0)
        {
            throw Invalid("cleanup.policy", CleanupPolicy, "must be delete, compact or both");
        }

        if (DeleteRetentionMs < 0)
        {
            throw Invalid("delete.retention.ms", DeleteRetentionMs, "must be at least 0");
        }

        if (MaxBatchBytes < Records.RecordBatchHeader.Size)
        {
            throw Invalid("max.message.bytes", MaxBatchBytes, $"must be at least {Records.RecordBatchHeader.Size}");
        }

        if (IndexIntervalBytes < 0)
        {
            throw Invalid("index.interval.bytes", IndexIntervalBytes, "must be at least 0");
        }
    }

    /// <summary>The settings as Kafka-named strings (as DescribeConfigs shows them).</summary>
    public IReadOnlyDictionary<string, string> ToDictionary() => new Dictionary<string, string>
    {
        ["segment.bytes"] = SegmentBytes.ToString(CultureInfo.InvariantCulture),
        ["segment.ms"] = SegmentMs.ToString(CultureInfo.InvariantCulture),
        ["retention.ms"] = RetentionMs.ToString(CultureInfo.InvariantCulture),
        ["retention.bytes"] = RetentionBytes.ToString(CultureInfo.InvariantCulture),
        ["cleanup.policy"] = FormatCleanupPolicy(CleanupPolicy),
        ["delete.retention.ms"] = DeleteRetentionMs.ToString(CultureInfo.InvariantCulture),
        ["max.message.bytes"] = MaxBatchBytes.ToString(CultureInfo.InvariantCulture),
        ["index.interval.bytes"] = IndexIntervalBytes.ToString(CultureInfo.InvariantCulture),
        ["flush.policy"] = FlushPolicy.ToString(),
    };

    /// <summary>
    /// Returns a copy of this configuration with the given Kafka-named settings applied.
    /// </summary>
    /// <exception cref="LogException">With <see cref="LogErrorCode.InvalidConfig"/> for an unknown name or a bad value.</exception>
    public TopicConfig With(IEnumerable<KeyValuePair<string, string>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = this;
        foreach (var (name, value) in settings)
        {
            config = name switch
            {
                "segment.bytes" => config with { SegmentBytes = ParseInt(name, value) },
                "segment.ms" => config with { SegmentMs = ParseLong(name, value) },
                "retention.ms" => config with { RetentionMs = ParseLong(name, value) },
                "retention.bytes" => config with { RetentionBytes = ParseLong(name, value) },
                "cleanup.policy" => config with { CleanupPolicy = ParseCleanupPolicy(value) },
                "delete.retention.ms" => config with { DeleteRetentionMs = ParseLong(name, value) },
                "max.message.bytes" => config with { MaxBatchBytes = ParseInt(name, value) },
                "index.interval.bytes" => config with { IndexIntervalBytes = ParseInt(name, value) },
                "flush.policy" => config with { FlushPolicy = FlushPolicy.TryParse(value, out var p) ? p : throw Invalid(name, value, "must be os, every-append, interval:MS or bytes:N") },
                _ => throw new LogException(LogErrorCode.InvalidConfig, $"Unknown topic configuration '{name}'. Known: {string.Join(", ", Names)}."),
            };
        }

        config.Validate();
        return config;
    }

    private static string FormatCleanupPolicy(CleanupPolicy policy) => policy switch
    {
        CleanupPolicy.Compact => "compact",
        CleanupPolicy.Delete | CleanupPolicy.Compact => "compact,delete",
        _ => "delete",
    };

    private static CleanupPolicy ParseCleanupPolicy(string value)
    {
        CleanupPolicy policy = 0;
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            policy |= part.ToLowerInvariant() switch
            {
                "delete" => CleanupPolicy.Delete,
                "compact" => CleanupPolicy.Compact,
                _ => throw Invalid("cleanup.policy", value, "must be delete, compact or both"),
            };
        }

        return policy == 0 ? throw Invalid("cleanup.policy", value, "must be delete, compact or both") : policy;
    }

    private static int ParseInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) ? result : throw Invalid(name, value, "must be a 32-bit integer");

    private static long ParseLong(string name, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) ? result : throw Invalid(name, value, "must be a 64-bit integer");

    private static LogException Invalid(string name, object? value, string rule) =>
        new(LogErrorCode.InvalidConfig, $"Invalid value '{value}' for topic configuration '{name}': {rule}.");
}
