using System.Globalization;
using System.Text.RegularExpressions;
using Freshet.Log.Durability;

namespace Freshet.Log.Topics;

/// <summary>
/// Every topic setting Apache Kafka 3.x defines (its <c>TopicConfig</c> and <c>LogConfig</c>), plus
/// Freshet's <c>flush.policy</c>: one entry per name, with Kafka's type, range and value spelling.
/// <see cref="TopicConfig.With"/>, <see cref="TopicConfig.ToDictionary"/> and DescribeConfigs all read
/// this table, so a new setting is one entry here plus its property on <see cref="TopicConfig"/>.
/// Values are trimmed before parsing, as Kafka's <c>ConfigDef</c> does; enumerated values are
/// case-sensitive, as in Kafka (except <c>cleanup.policy</c>, which Freshet always took in any case).
/// </summary>
internal static partial class TopicConfigKeys
{
    // Declared before All, which reads them while it is initialized.
    private static readonly (string Name, TopicCompression Value)[] CompressionNames =
    [
        ("producer", TopicCompression.Producer), ("uncompressed", TopicCompression.Uncompressed), ("gzip", TopicCompression.Gzip),
        ("snappy", TopicCompression.Snappy), ("lz4", TopicCompression.Lz4), ("zstd", TopicCompression.Zstd),
    ];

    private static readonly (string Name, MessageTimestampType Value)[] TimestampTypeNames =
    [
        ("CreateTime", MessageTimestampType.CreateTime), ("LogAppendTime", MessageTimestampType.LogAppendTime),
    ];

    /// <summary>The entries in name order.</summary>
    public static IReadOnlyList<TopicConfigKey> All { get; } =
    [
        Text("cleanup.policy", ConfigValueType.List, true, c => FormatCleanupPolicy(c.CleanupPolicy), (c, v) => c with { CleanupPolicy = ParseCleanupPolicy(v) }),
        Choice("compression.type", true, c => c.Compression, (c, v) => c with { Compression = v }, CompressionNames),
        Int("compression.gzip.level", true, c => c.CompressionGzipLevel, (c, v) => c with { CompressionGzipLevel = v }, -1, 9, reject: 0),
        Int("compression.lz4.level", true, c => c.CompressionLz4Level, (c, v) => c with { CompressionLz4Level = v }, 1, 17),
        Int("compression.zstd.level", true, c => c.CompressionZstdLevel, (c, v) => c with { CompressionZstdLevel = v }, -131072, 22),
        Long("delete.retention.ms", true, c => c.DeleteRetentionMs, (c, v) => c with { DeleteRetentionMs = v }, 0),
        Long("file.delete.delay.ms", false, c => c.FileDeleteDelayMs, (c, v) => c with { FileDeleteDelayMs = v }, 0),
        Long("flush.messages", true, c => c.FlushMessages, (c, v) => c with { FlushMessages = v }, 1),
        Long("flush.ms", true, c => c.FlushMs, (c, v) => c with { FlushMs = v }, 0),
        Text("flush.policy", ConfigValueType.String, true, c => c.FlushPolicy.ToString(), (c, v) => c with { FlushPolicy = FlushPolicy.TryParse(v, out var p) ? p : throw Invalid("flush.policy", v, "must be os, every-append, interval:MS or bytes:N") }),
        Text("follower.replication.throttled.replicas", ConfigValueType.List, false, c => c.FollowerReplicationThrottledReplicas, (c, v) => c with { FollowerReplicationThrottledReplicas = ParseThrottledReplicas("follower.replication.throttled.replicas", v) }),
        Int("index.interval.bytes", true, c => c.IndexIntervalBytes, (c, v) => c with { IndexIntervalBytes = v }, 0),
        Text("leader.replication.throttled.replicas", ConfigValueType.List, false, c => c.LeaderReplicationThrottledReplicas, (c, v) => c with { LeaderReplicationThrottledReplicas = ParseThrottledReplicas("leader.replication.throttled.replicas", v) }),
        Long("local.retention.bytes", false, c => c.LocalRetentionBytes, (c, v) => c with { LocalRetentionBytes = v }, -2),
        Long("local.retention.ms", false, c => c.LocalRetentionMs, (c, v) => c with { LocalRetentionMs = v }, -2),
        Long("max.compaction.lag.ms", false, c => c.MaxCompactionLagMs, (c, v) => c with { MaxCompactionLagMs = v }, 1),
        Int("max.message.bytes", true, c => c.MaxBatchBytes, (c, v) => c with { MaxBatchBytes = v }, 0),
        Bool("message.downconversion.enable", false, c => c.MessageDownconversionEnable, (c, v) => c with { MessageDownconversionEnable = v }),
        Text("message.format.version", ConfigValueType.String, false, c => c.MessageFormatVersion, (c, v) => c with { MessageFormatVersion = ParseMessageFormatVersion(v) }),
        Long("message.timestamp.after.max.ms", true, c => c.MessageTimestampAfterMaxMs, (c, v) => c with { MessageTimestampAfterMaxMs = v }, 0),
        Long("message.timestamp.before.max.ms", true, c => c.MessageTimestampBeforeMaxMs, (c, v) => c with { MessageTimestampBeforeMaxMs = v }, 0),
        Long("message.timestamp.difference.max.ms", true, c => c.MessageTimestampDifferenceMaxMs, (c, v) => c with { MessageTimestampDifferenceMaxMs = v }, 0),
        Choice("message.timestamp.type", true, c => c.MessageTimestampType, (c, v) => c with { MessageTimestampType = v }, TimestampTypeNames),
        Double("min.cleanable.dirty.ratio", false, c => c.MinCleanableDirtyRatio, (c, v) => c with { MinCleanableDirtyRatio = v }, 0, 1),
        Long("min.compaction.lag.ms", true, c => c.MinCompactionLagMs, (c, v) => c with { MinCompactionLagMs = v }, 0),
        Int("min.insync.replicas", false, c => c.MinInsyncReplicas, (c, v) => c with { MinInsyncReplicas = v }, 1),
        Bool("preallocate", false, c => c.Preallocate, (c, v) => c with { Preallocate = v }),
        Bool("remote.log.copy.disable", false, c => c.RemoteLogCopyDisable, (c, v) => c with { RemoteLogCopyDisable = v }),
        Bool("remote.log.delete.on.disable", false, c => c.RemoteLogDeleteOnDisable, (c, v) => c with { RemoteLogDeleteOnDisable = v }),
        Bool("remote.storage.enable", false, c => c.RemoteStorageEnable, (c, v) => c with { RemoteStorageEnable = v }),
        Long("retention.bytes", true, c => c.RetentionBytes, (c, v) => c with { RetentionBytes = v }, long.MinValue),
        Long("retention.ms", true, c => c.RetentionMs, (c, v) => c with { RetentionMs = v }, -1),
        Int("segment.bytes", true, c => c.SegmentBytes, (c, v) => c with { SegmentBytes = v }, 0),
        Int("segment.index.bytes", false, c => c.SegmentIndexBytes, (c, v) => c with { SegmentIndexBytes = v }, 4),
        Long("segment.jitter.ms", false, c => c.SegmentJitterMs, (c, v) => c with { SegmentJitterMs = v }, 0),
        Long("segment.ms", true, c => c.SegmentMs, (c, v) => c with { SegmentMs = v }, 1),
        Bool("unclean.leader.election.enable", false, c => c.UncleanLeaderElectionEnable, (c, v) => c with { UncleanLeaderElectionEnable = v }),
    ];

    private static readonly Dictionary<string, TopicConfigKey> ByName = All.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>Finds the entry named <paramref name="name"/> (Kafka's spelling, case-sensitive).</summary>
    public static bool TryGet(string name, out TopicConfigKey key) => ByName.TryGetValue(name, out key!);

    /// <summary>The error for a value that breaks a setting's rule, in one sentence naming both.</summary>
    public static LogException Invalid(string name, object? value, string rule) =>
        new(LogErrorCode.InvalidConfig, $"Invalid value '{value}' for topic configuration '{name}': {rule}.");

    private static TopicConfigKey Int(string name, bool implemented, Func<TopicConfig, int> get, Func<TopicConfig, int, TopicConfig> set, int min, int max = int.MaxValue, int? reject = null) =>
        new(name, ConfigValueType.Int, implemented, c => get(c).ToString(CultureInfo.InvariantCulture), (c, text) =>
        {
            var value = int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw Invalid(name, text, "must be a 32-bit integer");
            return value < min || value > max || value == reject ? throw Invalid(name, text, RangeRule(min, max, reject)) : set(c, value);
        });

    private static TopicConfigKey Long(string name, bool implemented, Func<TopicConfig, long> get, Func<TopicConfig, long, TopicConfig> set, long min) =>
        new(name, ConfigValueType.Long, implemented, c => get(c).ToString(CultureInfo.InvariantCulture), (c, text) =>
        {
            var value = long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw Invalid(name, text, "must be a 64-bit integer");
            return value < min ? throw Invalid(name, text, $"must be at least {min}") : set(c, value);
        });

    private static TopicConfigKey Double(string name, bool implemented, Func<TopicConfig, double> get, Func<TopicConfig, double, TopicConfig> set, double min, double max) =>
        new(name, ConfigValueType.Double, implemented, c => get(c).ToString("R", CultureInfo.InvariantCulture), (c, text) =>
        {
            var value = double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed) ? parsed : throw Invalid(name, text, "must be a number");
            return value < min || value > max ? throw Invalid(name, text, $"must be between {min} and {max}") : set(c, value);
        });

    private static TopicConfigKey Bool(string name, bool implemented, Func<TopicConfig, bool> get, Func<TopicConfig, bool, TopicConfig> set) =>
        new(name, ConfigValueType.Boolean, implemented, c => get(c) ? "true" : "false", (c, text) => text.Trim().ToLowerInvariant() switch
        {
            "true" => set(c, true),
            "false" => set(c, false),
            _ => throw Invalid(name, text, "must be true or false"),
        });

    private static TopicConfigKey Choice<T>(string name, bool implemented, Func<TopicConfig, T> get, Func<TopicConfig, T, TopicConfig> set, (string Name, T Value)[] choices)
        where T : struct, Enum =>
        new(name, ConfigValueType.String, implemented, c => Array.Find(choices, choice => EqualityComparer<T>.Default.Equals(choice.Value, get(c))).Name, (c, text) =>
        {
            var trimmed = text.Trim();
            foreach (var (choiceName, value) in choices)
            {
                if (choiceName == trimmed)
                {
                    return set(c, value);
                }
            }

            throw Invalid(name, text, $"must be one of {string.Join(", ", choices.Select(choice => choice.Name))}");
        });

    private static TopicConfigKey Text(string name, ConfigValueType type, bool implemented, Func<TopicConfig, string> get, Func<TopicConfig, string, TopicConfig> set) =>
        new(name, type, implemented, get, set);

    private static string RangeRule(int min, int max, int? reject) =>
        (max == int.MaxValue ? $"must be at least {min}" : $"must be between {min} and {max}") + (reject is { } r ? $" and not {r}" : string.Empty);

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

    /// <summary>Kafka's rule for throttled replica lists: empty, <c>*</c>, or comma-separated <c>partition:broker</c> pairs.</summary>
    private static string ParseThrottledReplicas(string name, string value)
    {
        var entries = value.Split(',', StringSplitOptions.TrimEntries);
        if (entries is ["*"] || value.Trim().Length == 0)
        {
            return value.Trim();
        }

        foreach (var entry in entries)
        {
            if (!ReplicaPair().IsMatch(entry))
            {
                throw Invalid(name, value, "must be *, or a list of partition:broker pairs such as 0:1,1:1");
            }
        }

        return string.Join(',', entries);
    }

    /// <summary>Kafka's message format versions: <c>0.8.0</c> to <c>3.x</c>, optionally with an <c>-IVn</c> suffix.</summary>
    private static string ParseMessageFormatVersion(string value)
    {
        var trimmed = value.Trim();
        return FormatVersion().IsMatch(trimmed) ? trimmed : throw Invalid("message.format.version", value, "must be a Kafka version such as 2.8 or 3.0-IV1");
    }

    [GeneratedRegex(@"^[0-9]+:[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ReplicaPair();

    [GeneratedRegex(@"^(0\.(8\.[0-2]|9\.0|10\.[0-2]|11\.0)|[1-3]\.[0-9])(\.[0-9]+)?(-IV[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FormatVersion();
}
