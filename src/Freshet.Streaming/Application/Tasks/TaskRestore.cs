using Confluent.Kafka;
using Freshet.Shared;

namespace Freshet.Streaming.Application.Tasks;

/// <summary>
/// An application task's state as its changelog topics hold it: per operator uid, the keyed state entries of each of
/// its keyed backends (in offset order, later ones winning) and its other checkpoint sections (the newest of each).
/// Read before the task's run is planned, with a read_committed consumer, from the beginning of the task's partition of
/// each operator's changelog to its end: the task's producer has already fenced the previous owner, whose open
/// transaction is aborted, so the end is stable. Single-threaded: built, then handed to the run.
/// </summary>
internal sealed class TaskRestore
{
    private readonly Dictionary<string, Dictionary<int, List<(string State, byte[] Key, byte[]? Value)>>> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, byte[]>> _sections = new(StringComparer.Ordinal);

    /// <summary>Records read.</summary>
    public long Records { get; private set; }

    /// <summary>Bytes of keys and values read.</summary>
    public long Bytes { get; private set; }

    /// <summary>The restored sections of every operator uid that has some.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, byte[]>> Sections =>
        _sections.ToDictionary(static p => p.Key, static p => (IReadOnlyDictionary<string, byte[]>)p.Value, StringComparer.Ordinal);

    /// <summary>The keyed state entries of keyed backend <paramref name="backend"/> (creation order within the operator) of <paramref name="uid"/>.</summary>
    public IReadOnlyList<(string State, byte[] Key, byte[]? Value)> EntriesOf(string uid, int backend) =>
        _entries.TryGetValue(uid, out var backends) && backends.TryGetValue(backend, out var entries) ? entries : [];

    /// <summary>Reads partition <paramref name="partition"/> of each topic in <paramref name="changelogs"/> (uid → topic).</summary>
    /// <exception cref="InvalidDataException">A record's key is malformed (the topic is not a Freshet changelog).</exception>
    public static TaskRestore Read(IReadOnlyDictionary<string, string> changelogs, int partition, ConsumerConfig baseConfig, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var restore = new TaskRestore();
        if (changelogs.Count == 0)
        {
            return restore;
        }

        KafkaNativeLibrary.EnsureLoaded();
        var config = new ConsumerConfig(baseConfig.ToDictionary(static c => c.Key, static c => c.Value))
        {
            GroupId = "freshet-restore",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        foreach (var (uid, topic) in changelogs)
        {
            restore.ReadOne(consumer, uid, new TopicPartition(topic, partition), timeout, cancellationToken);
        }

        return restore;
    }

    private void ReadOne(IConsumer<byte[]?, byte[]?> consumer, string uid, TopicPartition partition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var end = consumer.QueryWatermarkOffsets(partition, timeout).High.Value;
        if (end <= 0)
        {
            return;
        }

        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                if (consumer.Position(partition) is { IsSpecial: false } position && position.Value >= end)
                {
                    break;
                }

                continue;
            }

            if (result.IsPartitionEOF)
            {
                if (result.Offset.Value >= end)
                {
                    break;
                }

                continue;
            }

            Apply(uid, result.Message.Key, result.Message.Value, partition);
            if (result.Offset.Value + 1 >= end)
            {
                break;
            }
        }

        consumer.Unassign();
    }

    private void Apply(string uid, byte[]? keyBytes, byte[]? value, TopicPartition partition)
    {
        Records++;
        Bytes += (keyBytes?.Length ?? 0) + (value?.Length ?? 0);
        OperatorChangelogKey key;
        try
        {
            key = OperatorChangelogKey.Decode(keyBytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{partition.Topic} partition {partition.Partition.Value} is not a Freshet operator changelog: {e.Message}", e);
        }

        if (key.Kind == OperatorChangelogKeyKind.Section)
        {
            var sections = _sections.TryGetValue(uid, out var found) ? found : _sections[uid] = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            if (value is null)
            {
                sections.Remove(key.Name);
            }
            else
            {
                sections[key.Name] = value;
            }

            return;
        }

        var backends = _entries.TryGetValue(uid, out var byBackend) ? byBackend : _entries[uid] = [];
        var entries = backends.TryGetValue(key.Backend, out var list) ? list : backends[key.Backend] = [];
        entries.Add((key.Name, key.StateKey, value));
    }
}
