using System.Text.Json;
using Freshet.Log.Partitions;
using Freshet.Log.Segments;

namespace Freshet.Log.Topics;

/// <summary>
/// An open topic: its identity, configuration and partitions. On disk, a directory
/// <c>topics/NAME/</c> holding <c>topic.json</c> (name, id, partition count, and the Kafka-named settings
/// the topic overrides; replaced atomically) and one sub-directory per partition number.
/// <para>
/// Settings not in <c>topic.json</c> follow the store's default topic configuration, as a Kafka topic
/// follows the broker's <c>log.*</c> settings. Older files list every setting; reading them the same way
/// (defaults with the file's values applied) gives the configuration they were written with, and a value
/// equal to the default is then no override, so both forms open alike.
/// </para>
/// Thread-safety: <see cref="Partitions"/> is replaced as a whole (adding partitions); the store's
/// admin lock serializes changes.
/// </summary>
internal sealed class TopicLog
{
    public const string MetadataFileName = "topic.json";

    /// <summary>Largest partition count a topic may have.</summary>
    public const int MaxPartitions = 100_000;

    private Partition[] _partitions;
    private TopicConfig _config;

    private readonly TopicConfig _defaults;

    private TopicLog(string name, Guid id, string directory, TopicConfig config, TopicConfig defaults, Partition[] partitions)
    {
        _defaults = defaults;
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

    public static TopicLog Create(string directory, string name, int partitionCount, TopicConfig config, TopicConfig defaults, TimeProvider clock, long fileDeleteDelayMs)
    {
        System.IO.Directory.CreateDirectory(directory);
        var topic = new TopicLog(name, Guid.NewGuid(), directory, config, defaults, []);
        topic.WriteMetadata(partitionCount);
        topic.OpenPartitions(partitionCount, clock, fileDeleteDelayMs, []);
        return topic;
    }

    public static TopicLog Open(string directory, TopicConfig defaults, TimeProvider clock, long fileDeleteDelayMs, ICollection<string> report)
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
            config = defaults.With(metadata.Config);
        }
        catch (LogException e)
        {
            throw new LogException(LogErrorCode.KafkaStorageError, $"The topic metadata file '{path}' holds an invalid configuration: {e.Message}", e);
        }

        var topic = new TopicLog(metadata.Name, metadata.Id, directory, config, defaults, []);
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

    public void SetConfig(TopicConfig config)
    {
        Volatile.Write(ref _config, config);
        WriteMetadata(Partitions.Length);
        foreach (var partition in Partitions)
        {
            partition.Config = config;
        }
    }

    private void WriteMetadata(int partitionCount)
    {
        var metadata = new TopicMetadata(Name, Id, partitionCount, new Dictionary<string, string>(Config.OverridesOf(_defaults)));
        SegmentFiles.WriteAllBytesDurably(Path.Combine(Directory, MetadataFileName), JsonSerializer.SerializeToUtf8Bytes(metadata, TopicMetadataJsonContext.Default.TopicMetadata));
    }

    public TopicDescription Describe() => new(
        Name,
        Id,
        Config,
        Partitions.Select(p => new PartitionDescription(p.Id, p.LogStartOffset, p.HighWatermark, p.LogEndOffset, p.SizeBytes, p.SegmentCount)).ToArray());

    public void Close()
    {
        foreach (var partition in Partitions)
        {
            partition.Dispose();
        }
    }
}
