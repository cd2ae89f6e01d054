using System.Text.Json;
using Freshet.Log.Partitions;
using Freshet.Log.Segments;

namespace Freshet.Log.Topics;

/// <summary>
/// An open topic: its identity, configuration and partitions. On disk, a directory
/// <c>topics/NAME/</c> holding <c>topic.json</c> (name, id, partition count, the Kafka-named settings in
/// force, and the names the topic overrides; replaced atomically) and one sub-directory per partition
/// number.
/// <para>
/// The settings in force are stored, not only the overrides (a setting left out equals
/// <see cref="TopicConfig.Default"/>, never the opener's defaults), so the directory alone says how the
/// topic behaves whoever opens it (a broker with other <c>log.*</c> defaults, or a tool with none, must not
/// change its retention). The override names only tell DescribeConfigs which settings were chosen for the topic
/// (TOPIC_CONFIG) and which it took from the defaults at creation (DEFAULT_CONFIG). Files written before
/// the names were kept have none; the settings that differ from <see cref="TopicConfig.Default"/> are
/// taken as the overrides.
/// </para>
/// Thread-safety: <see cref="Partitions"/> is replaced as a whole (adding partitions); the store's
/// admin lock serializes changes.
/// </summary>
internal sealed class TopicLog
{
    public const string MetadataFileName = "topic.json";

    /// <summary>Largest partition count a topic may have.</summary>
    public const int MaxPartitions = 100_000;

    // The settings every version of topic.json has held; other settings are written only when they differ from the default.
    private static readonly string[] AlwaysStored =
    [
        "segment.bytes", "segment.ms", "retention.ms", "retention.bytes", "cleanup.policy",
        "delete.retention.ms", "max.message.bytes", "index.interval.bytes", "flush.policy",
    ];

    private Partition[] _partitions;
    private TopicConfig _config;
    private string[] _overrides;

    private TopicLog(string name, Guid id, string directory, TopicConfig config, IEnumerable<string> overrides, Partition[] partitions)
    {
        _overrides = overrides.Order(StringComparer.Ordinal).ToArray();
        Name = name;
        Id = id;
        Directory = directory;
        _config = config;
        _partitions = partitions;
    }

    public string Name { get; }

    public Guid Id { get; }

    public string Directory { get; }

    public TopicConfig Config => Volatile.Read(ref _config);

    public Partition[] Partitions => Volatile.Read(ref _partitions);

    /// <summary>Names of the settings chosen for this topic rather than taken from the defaults, in ordinal order.</summary>
    public IReadOnlyList<string> Overrides => Volatile.Read(ref _overrides);

    /// <param name="overrides">Names of the settings chosen for the topic rather than taken from the defaults.</param>
    public static TopicLog Create(string directory, string name, int partitionCount, TopicConfig config, IEnumerable<string> overrides, TimeProvider clock, long fileDeleteDelayMs)
    {
        System.IO.Directory.CreateDirectory(directory);
        var topic = new TopicLog(name, Guid.NewGuid(), directory, config, overrides, []);
        topic.WriteMetadata(partitionCount);
        topic.OpenPartitions(partitionCount, clock, fileDeleteDelayMs, []);
        return topic;
    }

    public static TopicLog Open(string directory, TimeProvider clock, long fileDeleteDelayMs, ICollection<string> report)
    {
        var path = Path.Combine(directory, MetadataFileName);
        TopicMetadata metadata;
        try
        {
            metadata = JsonSerializer.Deserialize(File.ReadAllBytes(path), TopicMetadataJsonContext.Default.TopicMetadata)
                ?? throw new JsonException("empty document");
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new LogException(LogErrorCode.KafkaStorageError, $"The topic metadata file '{path}' is unreadable: {e.Message}", e);
        }

        // The file is untrusted input: a well-formed document can still hold values that would
        // crash the open (a negative partition count, no config) or silently hide data (zero
        // partitions, another topic's name).
        var problem = CheckMetadata(metadata, Path.GetFileName(directory));
        if (problem is not null)
        {
            throw new LogException(LogErrorCode.KafkaStorageError, $"The topic metadata file '{path}' is invalid: {problem}.");
        }

        TopicConfig config;
        try
        {
            config = TopicConfig.Default.With(metadata.Config);
        }
        catch (LogException e)
        {
            throw new LogException(LogErrorCode.KafkaStorageError, $"The topic metadata file '{path}' holds an invalid configuration: {e.Message}", e);
        }

        var overrides = metadata.Overrides ?? (IEnumerable<string>)config.OverridesOf(TopicConfig.Default).Keys;
        var topic = new TopicLog(metadata.Name, metadata.Id, directory, config, overrides.Where(TopicConfig.Names.Contains), []);
        topic.OpenPartitions(metadata.Partitions, clock, fileDeleteDelayMs, report);
        return topic;
    }

    private static string? CheckMetadata(TopicMetadata metadata, string directoryName)
    {
        if (metadata.Name != directoryName)
        {
            return $"it names topic '{metadata.Name}' but lies in directory '{directoryName}'";
        }

        if (metadata.Partitions < 1 || metadata.Partitions > MaxPartitions)
        {
            return $"its partition count {metadata.Partitions} is not between 1 and {MaxPartitions}";
        }

        return metadata.Config is null ? "it has no config" : null;
    }

    private void OpenPartitions(int count, TimeProvider clock, long fileDeleteDelayMs, ICollection<string> report)
    {
        var existing = Partitions;
        var partitions = new Partition[count];
        Array.Copy(existing, partitions, existing.Length);
        try
        {
            for (var i = existing.Length; i < count; i++)
            {
                partitions[i] = Partition.Open(Name, i, Path.Combine(Directory, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Config, clock, fileDeleteDelayMs, report);
            }
        }
        catch
        {
            for (var i = existing.Length; i < count; i++)
            {
                partitions[i]?.Dispose();
            }

            throw;
        }

        Volatile.Write(ref _partitions, partitions);
    }

    public void AddPartitions(int newCount, TimeProvider clock, long fileDeleteDelayMs)
    {
        OpenPartitions(newCount, clock, fileDeleteDelayMs, []);
        WriteMetadata(newCount);
    }

    /// <param name="config">The new configuration.</param>
    /// <param name="changed">Names of the settings given for this change: they become (or stay) overrides.</param>
    public void SetConfig(TopicConfig config, IEnumerable<string> changed) =>
        ReplaceConfig(config, Overrides.Union(changed, StringComparer.Ordinal));

    /// <summary>Replaces the configuration and the whole set of override names (Kafka's AlterConfigs: settings not named follow the defaults).</summary>
    /// <param name="config">The new configuration.</param>
    /// <param name="overrides">Names of the settings chosen for the topic; every other setting is reported as a default.</param>
    public void ReplaceConfig(TopicConfig config, IEnumerable<string> overrides)
    {
        Volatile.Write(ref _config, config);
        Volatile.Write(ref _overrides, overrides.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
        WriteMetadata(Partitions.Length);
        foreach (var partition in Partitions)
        {
            partition.Config = config;
        }
    }

    private void WriteMetadata(int partitionCount)
    {
        var metadata = new TopicMetadata(Name, Id, partitionCount, StoredSettings(Config), [.. Overrides]);
        SegmentFiles.WriteAllBytesDurably(Path.Combine(Directory, MetadataFileName), JsonSerializer.SerializeToUtf8Bytes(metadata, TopicMetadataJsonContext.Default.TopicMetadata));
    }

    /// <summary>
    /// The settings written to <c>topic.json</c>: the nine every version has written, and any other that
    /// differs from <see cref="TopicConfig.Default"/> (a missing one reads back as that default). A topic
    /// that uses only the older settings therefore stays readable by versions that knew only those.
    /// </summary>
    private static Dictionary<string, string> StoredSettings(TopicConfig config)
    {
        var defaults = TopicConfig.Default.ToDictionary();
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in config.ToDictionary())
        {
            if (AlwaysStored.Contains(name) || value != defaults[name])
            {
                stored[name] = value;
            }
        }

        return stored;
    }

    public TopicDescription Describe() => new(
        Name,
        Id,
        Config,
        Partitions.Select(p => new PartitionDescription(p.Id, p.LogStartOffset, p.HighWatermark, p.LogEndOffset, p.SizeBytes, p.SegmentCount)).ToArray())
    {
        OverriddenSettings = Overrides,
    };

    public void Close()
    {
        foreach (var partition in Partitions)
        {
            partition.Dispose();
        }
    }
}
