using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using Freshet.Log.Durability;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Topics;

namespace Freshet.Log.Groups;

/// <summary>
/// Consumer groups' committed offsets and group metadata, durable across restarts (the role of
/// Kafka's <c>__consumer_offsets</c> topic on a single node).
/// <para>
/// On disk: one internal, compacted partition at <c>DIR/internal/__consumer_offsets/0</c>, in the
/// segment format of every partition, with <see cref="FlushPolicy.EveryAppend"/>: a commit that
/// returned is fsynced. Each commit is a record keyed by (group, topic, partition) whose value holds
/// the offset, leader epoch, metadata and commit time (Kafka's layout: key version 1, value version 3;
/// see <c>OffsetRecordCodec</c>). Each group's membership (<see cref="GroupMetadata"/>) is a record
/// keyed by the group alone (key version 2, value version 3; see <c>GroupMetadataRecordCodec</c>),
/// rewritten whole by <see cref="StoreGroupMetadata"/>. Deleting appends tombstones. Compaction keeps
/// the latest record per key, so the partition stays about as large as the live commits and groups.
/// The internal partition is not a topic: <see cref="LogStore.ListTopics"/> does not show it.
/// </para>
/// <para>
/// In memory: on open the partition is replayed into a dictionary of offsets per group and one of
/// group metadata, which answer every read. A batch commit of several partitions is one appended
/// batch, so it is stored, replayed and seen by readers all or nothing.
/// </para>
/// Thread-safety: all members are safe to call from any thread. Commits and deletions are serialized
/// by one lock held across the append (with its fsync) and the in-memory update, so memory changes in
/// the same order as the log. Reads take no lock: each group's offsets are an immutable dictionary
/// replaced whole.
/// </summary>
public sealed class GroupOffsetStore
{
    /// <summary>Longest metadata string accepted with a commit, in characters (Kafka's <c>offset.metadata.max.bytes</c> default).</summary>
    public const int MaxMetadataLength = 4096;

    /// <summary>Name of the internal log, as in Kafka.</summary>
    internal const string LogName = "__consumer_offsets";

    private readonly Partition _log;
    private readonly TimeProvider _clock;
    private readonly object _writeLock = new();
    private readonly ConcurrentDictionary<string, ImmutableDictionary<(string Topic, int Partition), CommittedOffset>> _groups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GroupMetadata> _metadata = new(StringComparer.Ordinal);

    private GroupOffsetStore(Partition log, TimeProvider clock)
    {
        _log = log;
        _clock = clock;
    }

    /// <summary>
    /// Settings of the internal partition: compacted only, fsync on every append, 100 MiB segments
    /// (Kafka's <c>offsets.topic.segment.bytes</c>), batches up to 16 MiB so a large batch commit fits.
    /// </summary>
    internal static TopicConfig LogConfig { get; } = new()
    {
        CleanupPolicy = CleanupPolicy.Compact,
        FlushPolicy = FlushPolicy.EveryAppend,
        SegmentBytes = 100 * 1024 * 1024,
        MaxBatchBytes = 16 * 1024 * 1024,
        RetentionMs = -1,
    };

    /// <summary>The internal partition (for maintenance and tests).</summary>
    internal Partition Log => _log;

    /// <summary>Opens (recovering) the internal partition in <paramref name="directory"/> and replays it.</summary>
    /// <param name="report">Receives one line per problem found and repaired, or record skipped.</param>
    internal static GroupOffsetStore Open(string directory, TimeProvider clock, long fileDeleteDelayMs, ICollection<string> report)
    {
        var log = Partition.Open(LogName, 0, directory, LogConfig, clock, fileDeleteDelayMs, report);
        try
        {
            var store = new GroupOffsetStore(log, clock);
            store.Replay(report);
            return store;
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>Commits one partition's offset for <paramref name="group"/>; durable when it returns.</summary>
    /// <returns>The stored commit, with its commit time.</returns>
    /// <exception cref="LogException"><see cref="LogErrorCode.InvalidGroupId"/>, <see cref="LogErrorCode.InvalidTopic"/>,
    /// <see cref="LogErrorCode.UnknownTopicOrPartition"/> (negative partition), <see cref="LogErrorCode.OffsetMetadataTooLarge"/>,
    /// or a storage error. Nothing is stored then.</exception>
    public CommittedOffset Commit(string group, string topic, int partition, long offset, string? metadata = null, int leaderEpoch = -1) =>
        Commit(group, [new OffsetCommit(topic, partition, offset, metadata, leaderEpoch)])[0];

    /// <summary>
    /// Commits several partitions' offsets for <paramref name="group"/> atomically, as one appended
    /// batch: after a crash either all of them or none are stored. If a partition appears twice, the later entry wins.
    /// </summary>
    /// <returns>The stored commits, in the order given.</returns>
    /// <exception cref="LogException">As <see cref="Commit(string, string, int, long, string?, int)"/>, for the first invalid entry; nothing is stored then.</exception>
    public IReadOnlyList<CommittedOffset> Commit(string group, IReadOnlyList<OffsetCommit> offsets)
    {
        ValidateGroup(group);
        ArgumentNullException.ThrowIfNull(offsets);
        if (offsets.Count == 0)
        {
            return [];
        }

        foreach (var commit in offsets)
        {
            Validate(group, commit);
        }

        lock (_writeLock)
        {
            var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            var builder = new RecordBatchBuilder();
            var stored = new CommittedOffset[offsets.Count];
            for (var i = 0; i < offsets.Count; i++)
            {
                var c = offsets[i];
                stored[i] = new CommittedOffset(c.Topic, c.Partition, c.Offset, c.LeaderEpoch, c.Metadata ?? string.Empty, now);
                builder.Add(now, OffsetRecordCodec.EncodeKey(group, c.Topic, c.Partition), OffsetRecordCodec.EncodeValue(c.Offset, c.LeaderEpoch, stored[i].Metadata, now));
            }

            _log.Append(builder.Build());
            var current = _groups.TryGetValue(group, out var existing) ? existing : ImmutableDictionary<(string, int), CommittedOffset>.Empty;
            var updated = current.ToBuilder();
            foreach (var commit in stored)
            {
                updated[(commit.Topic, commit.Partition)] = commit;
            }

            _groups[group] = updated.ToImmutable();
            return stored;
        }
    }

    /// <summary>Returns <paramref name="group"/>'s committed offset for one partition, or false if it has none.</summary>
    public bool TryFetch(string group, string topic, int partition, out CommittedOffset committed)
    {
        if (group is not null && topic is not null && _groups.TryGetValue(group, out var offsets) && offsets.TryGetValue((topic, partition), out committed))
        {
            return true;
        }

        committed = default;
        return false;
    }

    /// <summary>Every committed offset of <paramref name="group"/>, sorted by topic then partition; empty if it has none.</summary>
    public IReadOnlyList<CommittedOffset> FetchAll(string group)
    {
        if (group is null || !_groups.TryGetValue(group, out var offsets))
        {
            return [];
        }

        var result = offsets.Values.ToArray();
        Array.Sort(result, static (a, b) =>
        {
            var byTopic = string.CompareOrdinal(a.Topic, b.Topic);
            return byTopic != 0 ? byTopic : a.Partition.CompareTo(b.Partition);
        });
        return result;
    }

    /// <summary>The groups that have at least one committed offset, sorted (ordinal).</summary>
    public IReadOnlyList<string> ListGroups()
    {
        var groups = _groups.Keys.ToArray();
        Array.Sort(groups, StringComparer.Ordinal);
        return groups;
    }

    /// <summary>
    /// Deletes a group: every committed offset and its stored <see cref="GroupMetadata"/>, by appending
    /// tombstones (one batch); durable when it returns.
    /// </summary>
    /// <returns>False if the group had neither committed offsets nor metadata (nothing is written).</returns>
    /// <exception cref="LogException"><see cref="LogErrorCode.InvalidGroupId"/>, or a storage error (then nothing is deleted).</exception>
    public bool DeleteGroup(string group)
    {
        ValidateGroup(group);
        lock (_writeLock)
        {
            var hasOffsets = _groups.TryGetValue(group, out var offsets);
            var hasMetadata = _metadata.ContainsKey(group);
            if (!hasOffsets && !hasMetadata)
            {
                return false;
            }

            var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            var builder = new RecordBatchBuilder();
            foreach (var key in offsets?.Keys ?? [])
            {
                builder.Add(now, OffsetRecordCodec.EncodeKey(group, key.Topic, key.Partition), null);
            }

            if (hasMetadata)
            {
                builder.Add(now, GroupMetadataRecordCodec.EncodeKey(group), null);
            }

            _log.Append(builder.Build());
            _groups.TryRemove(group, out _);
            _metadata.TryRemove(group, out _);
            return true;
        }
    }

    /// <summary>
    /// Deletes <paramref name="group"/>'s committed offsets of the given partitions (Kafka's OffsetDelete)
    /// by appending tombstones (one batch); durable when it returns. Partitions without a commit are ignored.
    /// </summary>
    /// <returns>The partitions whose offsets were deleted, in the order given.</returns>
    /// <exception cref="LogException"><see cref="LogErrorCode.InvalidGroupId"/>, or a storage error (then nothing is deleted).</exception>
    public IReadOnlyList<(string Topic, int Partition)> DeleteOffsets(string group, IReadOnlyList<(string Topic, int Partition)> partitions)
    {
        ValidateGroup(group);
        ArgumentNullException.ThrowIfNull(partitions);
        lock (_writeLock)
        {
            if (!_groups.TryGetValue(group, out var offsets))
            {
                return [];
            }

            var doomed = new List<(string Topic, int Partition)>();
            foreach (var key in partitions)
            {
                if (offsets.ContainsKey(key) && !doomed.Contains(key))
                {
                    doomed.Add(key);
                }
            }

            RemoveOffsetsLocked(group, offsets, doomed);
            return doomed;
        }
    }

    /// <summary>
    /// Deletes every group's committed offsets in <paramref name="topic"/> (tombstones, one batch per
    /// group), as Kafka does when a topic is deleted, so a topic created later under the same name does
    /// not inherit stale positions. Durable when it returns.
    /// </summary>
    /// <returns>How many committed offsets were deleted.</returns>
    /// <exception cref="LogException">A storage error; groups handled before it stay deleted.</exception>
    public int DeleteTopicOffsets(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var deleted = 0;
        lock (_writeLock)
        {
            foreach (var (group, offsets) in _groups)
            {
                var doomed = new List<(string Topic, int Partition)>();
                foreach (var key in offsets.Keys)
                {
                    if (key.Topic == topic)
                    {
                        doomed.Add(key);
                    }
                }

                RemoveOffsetsLocked(group, offsets, doomed);
                deleted += doomed.Count;
            }
        }

        return deleted;
    }

    /// <summary>
    /// Stores <paramref name="group"/>'s membership, replacing what was stored before; durable when it
    /// returns. The coordinator calls it when a generation completes and when the group becomes empty.
    /// </summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.InvalidGroupId"/>; <see cref="LogErrorCode.MessageTooLarge"/>
    /// when the record would not fit in one batch; or a storage error. Nothing is stored then.</exception>
    public void StoreGroupMetadata(string group, GroupMetadata metadata)
    {
        ValidateGroup(group);
        ArgumentNullException.ThrowIfNull(metadata);
        ValidateMetadata(group, metadata);
        lock (_writeLock)
        {
            var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            var builder = new RecordBatchBuilder();
            builder.Add(now, GroupMetadataRecordCodec.EncodeKey(group), GroupMetadataRecordCodec.EncodeValue(metadata));
            _log.Append(builder.Build());
            _metadata[group] = metadata;
        }
    }

    /// <summary>Returns <paramref name="group"/>'s stored membership, or false if none is stored.</summary>
    public bool TryGetGroupMetadata(string group, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GroupMetadata? metadata)
    {
        metadata = null;
        return group is not null && _metadata.TryGetValue(group, out metadata);
    }

    /// <summary>Every group with stored membership and its <see cref="GroupMetadata"/>, sorted by group id (ordinal).</summary>
    public IReadOnlyList<KeyValuePair<string, GroupMetadata>> ListGroupMetadata()
    {
        var groups = _metadata.ToArray();
        Array.Sort(groups, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return groups;
    }

    private void RemoveOffsetsLocked(string group, ImmutableDictionary<(string Topic, int Partition), CommittedOffset> offsets, List<(string Topic, int Partition)> doomed)
    {
        if (doomed.Count == 0)
        {
            return;
        }

        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var builder = new RecordBatchBuilder();
        foreach (var key in doomed)
        {
            builder.Add(now, OffsetRecordCodec.EncodeKey(group, key.Topic, key.Partition), null);
        }

        _log.Append(builder.Build());
        var remaining = offsets.RemoveRange(doomed);
        if (remaining.IsEmpty)
        {
            _groups.TryRemove(group, out _);
        }
        else
        {
            _groups[group] = remaining;
        }
    }

    /// <summary>Closes the internal partition (flushing it and writing its indexes).</summary>
    internal void Close() => _log.Dispose();

    private void Replay(ICollection<string> report)
    {
        var groups = new Dictionary<string, Dictionary<(string, int), CommittedOffset>>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, GroupMetadata>(StringComparer.Ordinal);
        var offset = _log.LogStartOffset;
        try
        {
            while (offset < _log.LogEndOffset)
            {
                var read = _log.Read(offset, 1024 * 1024);
                var start = offset;

                foreach (var (header, bytes) in RecordBatchReader.ReadBatches(read.Records))
                {
                    if (!header.IsControl)
                    {
                        foreach (var record in RecordBatchReader.DecodeBatch(bytes.Span))
                        {
                            Apply(groups, metadata, record, report);
                        }
                    }

                    offset = header.LastOffset + 1;
                }

                if (offset == start)
                {
                    break; // No batch at or after this offset (the rest of the log is a compaction gap).
                }
            }
        }
        catch (LogException e)
        {
            // Commits after a corrupt batch cannot be read: the groups concerned restart from older
            // offsets (re-reading, never skipping, records). Say so rather than refuse to open.
            report.Add($"{LogName}: committed offsets could not be replayed past offset {offset}: {e.Message}");
        }

        foreach (var (group, offsets) in groups)
        {
            if (offsets.Count > 0)
            {
                _groups[group] = offsets.ToImmutableDictionary();
            }
        }

        foreach (var (group, stored) in metadata)
        {
            _metadata[group] = stored;
        }
    }

    private static void Apply(Dictionary<string, Dictionary<(string, int), CommittedOffset>> groups, Dictionary<string, GroupMetadata> groupMetadata, LogRecord record, ICollection<string> report)
    {
        if (record.Key is null)
        {
            report.Add($"{LogName}: skipped the record at offset {record.Offset}: it has no key.");
            return;
        }

        var version = OffsetRecordCodec.ReadKey(record.Key, out var group, out var topic, out var partition);
        if (version == OffsetRecordCodec.GroupMetadataKeyVersion)
        {
            ApplyGroupMetadata(groupMetadata, record, report);
            return;
        }

        if (version is not (0 or OffsetRecordCodec.OffsetKeyVersion))
        {
            report.Add(version < 0
                ? $"{LogName}: skipped the record at offset {record.Offset}: its key is malformed."
                : $"{LogName}: skipped the record at offset {record.Offset}: its key (version {version}) is not an offset commit key.");
            return;
        }

        if (record.Value is null)
        {
            if (groups.TryGetValue(group, out var doomed) && doomed.Remove((topic, partition)) && doomed.Count == 0)
            {
                groups.Remove(group);
            }

            return;
        }

        if (!OffsetRecordCodec.TryReadValue(record.Value, out var offset, out var leaderEpoch, out var metadata, out var timestamp))
        {
            report.Add($"{LogName}: skipped the record at offset {record.Offset}: its value is not a version {OffsetRecordCodec.ValueVersion} offset commit.");
            return;
        }

        if (!groups.TryGetValue(group, out var offsets))
        {
            offsets = [];
            groups[group] = offsets;
        }

        offsets[(topic, partition)] = new CommittedOffset(topic, partition, offset, leaderEpoch, metadata, timestamp);
    }

    private static void ApplyGroupMetadata(Dictionary<string, GroupMetadata> metadata, LogRecord record, ICollection<string> report)
    {
        if (!GroupMetadataRecordCodec.TryReadKey(record.Key, out var group))
        {
            report.Add($"{LogName}: skipped the record at offset {record.Offset}: its group metadata key is malformed.");
            return;
        }

        if (record.Value is null)
        {
            metadata.Remove(group);
            return;
        }

        if (!GroupMetadataRecordCodec.TryReadValue(record.Value, out var stored))
        {
            report.Add($"{LogName}: skipped the group metadata of '{group}' at offset {record.Offset}: its value is malformed or of a version above {GroupMetadataRecordCodec.HighestReadableValueVersion}.");
            return;
        }

        metadata[group] = stored;
    }

    private static void ValidateMetadata(string group, GroupMetadata metadata)
    {
        var strings = new List<string?> { metadata.ProtocolType, metadata.Protocol, metadata.Leader };
        foreach (var member in metadata.Members)
        {
            ArgumentNullException.ThrowIfNull(member);
            strings.Add(member.MemberId);
            strings.Add(member.GroupInstanceId);
            strings.Add(member.ClientId);
            strings.Add(member.ClientHost);
        }

        foreach (var text in strings)
        {
            if (text is not null && Encoding.UTF8.GetByteCount(text) > OffsetRecordCodec.MaxStringBytes)
            {
                throw new LogException(LogErrorCode.MessageTooLarge, $"Cannot store the metadata of group '{group}': a string in it is longer than {OffsetRecordCodec.MaxStringBytes} UTF-8 bytes.");
            }
        }
    }

    private static void ValidateGroup(string group)
    {
        if (string.IsNullOrEmpty(group))
        {
            throw new LogException(LogErrorCode.InvalidGroupId, "The group id must not be empty.");
        }

        if (Encoding.UTF8.GetByteCount(group) > OffsetRecordCodec.MaxStringBytes)
        {
            throw new LogException(LogErrorCode.InvalidGroupId, $"The group id '{group[..20]}...' is longer than {OffsetRecordCodec.MaxStringBytes} UTF-8 bytes.");
        }
    }

    private static void Validate(string group, in OffsetCommit commit)
    {
        var problem = TopicNames.Check(commit.Topic);
        if (problem is not null)
        {
            throw new LogException(LogErrorCode.InvalidTopic, $"Cannot commit an offset for group '{group}': {problem}.");
        }

        if (commit.Partition < 0)
        {
            throw new LogException(LogErrorCode.UnknownTopicOrPartition, $"Cannot commit an offset for group '{group}' in {commit.Topic}-{commit.Partition}: partition numbers start at 0.");
        }

        if (commit.Metadata is { Length: > MaxMetadataLength })
        {
            throw new LogException(LogErrorCode.OffsetMetadataTooLarge, $"Cannot commit an offset for group '{group}' in {commit.Topic}-{commit.Partition}: its metadata has {commit.Metadata.Length} characters; at most {MaxMetadataLength} are allowed.");
        }
    }
}
