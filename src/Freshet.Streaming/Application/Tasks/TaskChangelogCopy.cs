using Confluent.Kafka;
using Freshet.Log.Compaction;
using Freshet.Shared;

namespace Freshet.Streaming.Application.Tasks;

/// <summary>
/// This instance's copy of one task's changelogs (one topic per operator uid, the task's partition of each): the
/// newest value of every record key, as compaction would keep it, and per topic the offset the copy has read up to.
/// An active task brings the copy up to the changelogs' end before it runs (<see cref="CatchUp"/>) and restores from
/// it; a standby replica keeps it current while another instance runs the task (<see cref="Apply"/>), so taking the
/// task over replays only the records written since. The copy stays with the instance across rebalances, so a task
/// that comes back reads only its tail. Both read with the application's isolation level: read_committed under
/// exactly-once, so aborted writes never enter the copy; read_uncommitted under at-least-once, which writes no
/// transactions.
/// <para>
/// Thread-safety: one owner at a time (the task's run or its standby), handed over only after the previous owner has
/// stopped; an active task's commits (<see cref="ApplyCommitted"/>) may run beside its run's reads (<see cref="EntriesOf"/>,
/// <see cref="Sections"/>) and saves, which lock; <see cref="OffsetSum"/> and <see cref="LastRestoredRecords"/> may be
/// read from any thread.
/// </para>
/// </summary>
internal sealed partial class TaskChangelogCopy
{
    private readonly Dictionary<string, TopicCopy> _topics = new(StringComparer.Ordinal);
    private long _offsetSum;
    private long _lastRestoredRecords;

    /// <summary>The sum over the copied topics of the offsets read up to: the task's warmth here (the assignor prefers the warmest instance).</summary>
    public long OffsetSum => Volatile.Read(ref _offsetSum);

    /// <summary>Records read by the last <see cref="CatchUp"/> (while it runs: so far).</summary>
    public long LastRestoredRecords => Volatile.Read(ref _lastRestoredRecords);

    /// <summary>Bytes of keys and values read by the last <see cref="CatchUp"/>.</summary>
    public long LastRestoredBytes { get; private set; }

    /// <summary>The offset the copy has read <paramref name="topic"/> up to (the next offset to read; 0 for a topic it has not read).</summary>
    public long PositionOf(string topic) => _topics.TryGetValue(topic, out var copy) ? copy.NextOffset : 0;

    /// <summary>The restored sections (timers, source positions, …) of every operator uid that has some.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, byte[]>> Sections
    {
        get
        {
            lock (_topics)
            {
                return SectionsUnlocked();
            }
        }
    }

    private Dictionary<string, IReadOnlyDictionary<string, byte[]>> SectionsUnlocked()
    {
        var sections = new Dictionary<string, IReadOnlyDictionary<string, byte[]>>(StringComparer.Ordinal);
        foreach (var (topic, copy) in _topics)
        {
            var named = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (key, value) in copy.Records)
            {
                if (Decode(topic, key) is { Kind: OperatorChangelogKeyKind.Section } decoded)
                {
                    named[decoded.Name] = value;
                }
            }

            if (named.Count > 0)
            {
                sections[copy.Uid] = named;
            }
        }

        return sections;
    }

    /// <summary>The keyed state entries of keyed backend <paramref name="backend"/> (creation order within the operator) of <paramref name="uid"/>.</summary>
    /// <exception cref="InvalidDataException">A record key is malformed (the topic is not a Freshet changelog).</exception>
    public List<(string State, byte[] Key, byte[] Value)> EntriesOf(string uid, int backend)
    {
        lock (_topics)
        {
            return [.. EntriesOfUnlocked(uid, backend)];
        }
    }

    /// <summary>
    /// Applies the changelog records of transactions its active task committed (in order; null values delete) and
    /// moves each topic's position past the last of them (<paramref name="lastOffsets"/>): nobody else writes the task's
    /// partitions, so the copy is then the committed state again without reading it back. May run on the task's commit
    /// thread while the run reads the copy.
    /// </summary>
    public void ApplyCommitted(IReadOnlyList<(string Topic, byte[]? Key, byte[]? Value)> writes, IReadOnlyDictionary<string, long> lastOffsets, IReadOnlyDictionary<string, string> uidOfTopic)
    {
        lock (_topics)
        {
            foreach (var (topic, key, value) in writes)
            {
                if (key is null || !uidOfTopic.TryGetValue(topic, out var uid))
                {
                    continue;
                }

                var copy = CopyOf(topic, uid);
                if (value is null)
                {
                    copy.Records.Remove(key);
                }
                else
                {
                    copy.Records[key] = value;
                }
            }

            foreach (var (topic, last) in lastOffsets)
            {
                if (_topics.TryGetValue(topic, out var copy) && last + 1 > copy.NextOffset)
                {
                    SetPosition(copy, last + 1);
                }
            }
        }
    }

    private IEnumerable<(string State, byte[] Key, byte[] Value)> EntriesOfUnlocked(string uid, int backend)
    {
        foreach (var (topic, copy) in _topics)
        {
            if (copy.Uid != uid)
            {
                continue;
            }

            foreach (var (key, value) in copy.Records)
            {
                if (Decode(topic, key) is { Kind: OperatorChangelogKeyKind.StateEntry } decoded && decoded.Backend == backend)
                {
                    yield return (decoded.Name, decoded.StateKey, value);
                }
            }
        }
    }

    /// <summary>
    /// Reads partition <paramref name="partition"/> of each topic of <paramref name="changelogs"/> (uid → topic) from
    /// where the copy stands to the end. Called by a task after its producer fenced the previous owner (whose open
    /// transaction is then aborted), so the end is stable. A copy that stands beyond a topic's end or before its start
    /// (the topic was recreated or truncated) is dropped and read again from the beginning, and topics not in
    /// <paramref name="changelogs"/> (a copy loaded from disk that names a topic the task no longer has) are dropped.
    /// </summary>
    /// <exception cref="InvalidDataException">A record's key is malformed.</exception>
    public void CatchUp(IReadOnlyDictionary<string, string> changelogs, int partition, ConsumerConfig baseConfig, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastRestoredRecords, 0);
        LastRestoredBytes = 0;
        foreach (var stale in _topics.Keys.Where(topic => !changelogs.Values.Contains(topic, StringComparer.Ordinal)).ToList())
        {
            SetPosition(_topics[stale], 0);
            _topics.Remove(stale);
        }

        if (changelogs.Count == 0)
        {
            return;
        }

        using var consumer = CreateConsumer(baseConfig);
        foreach (var (uid, topic) in changelogs)
        {
            var copy = CopyOf(topic, uid);
            var topicPartition = new TopicPartition(topic, partition);
            var watermarks = consumer.QueryWatermarkOffsets(topicPartition, timeout);
            if (copy.NextOffset > watermarks.High.Value || (copy.NextOffset > 0 && copy.NextOffset < watermarks.Low.Value))
            {
                copy.Records.Clear();
                SetPosition(copy, 0);
            }

            var end = watermarks.High.Value;
            if (copy.NextOffset >= end)
            {
                continue;
            }

            consumer.Assign(new TopicPartitionOffset(topicPartition, copy.NextOffset == 0 ? Offset.Beginning : new Offset(copy.NextOffset)));
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null || result.IsPartitionEOF)
                {
                    if (result?.Offset.Value >= end || consumer.Position(topicPartition) is { IsSpecial: false } position && position.Value >= end)
                    {
                        break;
                    }

                    continue;
                }

                Apply(result);
                Interlocked.Increment(ref _lastRestoredRecords);
                LastRestoredBytes += (result.Message.Key?.Length ?? 0) + (result.Message.Value?.Length ?? 0);
                if (result.Offset.Value + 1 >= end)
                {
                    break;
                }
            }

            // Everything committed below the end is in the copy; what lies between the last record and the end is
            // transaction markers and aborted writes.
            SetPosition(copy, end);
            consumer.Unassign();
        }
    }

    /// <summary>Applies one record read from a changelog topic the copy knows (see <see cref="Track"/>) and moves its position past it.</summary>
    public void Apply(ConsumeResult<byte[]?, byte[]?> result)
    {
        var copy = _topics[result.Topic];
        var key = result.Message.Key ?? throw new InvalidDataException($"{result.Topic} partition {result.Partition.Value} offset {result.Offset.Value} has no key: it is not a Freshet operator changelog.");
        if (result.Message.Value is { } value)
        {
            copy.Records[key] = value;
        }
        else
        {
            copy.Records.Remove(key);
        }

        SetPosition(copy, result.Offset.Value + 1);
    }

    /// <summary>Makes <paramref name="topic"/> (the changelog of <paramref name="uid"/>) part of the copy; returns the offset to read it from (0: the beginning).</summary>
    public long Track(string topic, string uid) => CopyOf(topic, uid).NextOffset;

    /// <summary>A consumer for changelogs at <paramref name="baseConfig"/>'s isolation level (read_committed when unset), without a group (positions are the copy's own).</summary>
    public static IConsumer<byte[]?, byte[]?> CreateConsumer(ConsumerConfig baseConfig)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ConsumerConfig(baseConfig.ToDictionary(static c => c.Key, static c => c.Value))
        {
            GroupId = "freshet-restore",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            IsolationLevel = baseConfig.IsolationLevel ?? IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
        };
        return new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
    }

    private static OperatorChangelogKey Decode(string topic, byte[] key)
    {
        try
        {
            return OperatorChangelogKey.Decode(key);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{topic} is not a Freshet operator changelog: {e.Message}", e);
        }
    }

    private TopicCopy CopyOf(string topic, string uid)
    {
        if (!_topics.TryGetValue(topic, out var copy))
        {
            copy = new TopicCopy(uid);
            _topics.Add(topic, copy);
        }

        return copy;
    }

    private void SetPosition(TopicCopy copy, long next)
    {
        Interlocked.Add(ref _offsetSum, next - copy.NextOffset);
        copy.NextOffset = next;
    }

    /// <summary>One changelog topic's partition as copied: record key → newest value.</summary>
    private sealed class TopicCopy(string uid)
    {
        public string Uid { get; } = uid;

        public Dictionary<byte[], byte[]> Records { get; } = new(ByteArrayComparer.Instance);

        public long NextOffset { get; set; }
    }
}
