using Freshet.Log;
using Freshet.Log.Groups;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Transactions;
using Freshet.Streaming.Sources;

namespace Freshet.Streaming.Connectors.LogTopic;

/// <summary>
/// Reads this subtask's partitions of an embedded log topic (partition <c>i</c> goes to subtask <c>i % p</c>); each
/// partition is a split with its own watermark. Records of control batches are skipped; with
/// <see cref="LogSourceOptions.ReadCommitted"/> (the default) only committed data is read, up to the last stable offset. Each poll reads one
/// chunk from each partition in turn. A record's source timestamp is the log record's timestamp.
/// Position for checkpoints: the next offset of each partition. With <see cref="LogSourceOptions.CommitToGroup"/>,
/// those positions are committed to the store's group offsets — without checkpoints periodically and at end of input,
/// with checkpoints only when a checkpoint completes (the completed checkpoint's positions).
/// </summary>
internal sealed class LogTopicSourceReader<T> : SourceReader<T>
{
    private readonly LogStore _store;
    private readonly string _topic;
    private readonly Converter _convert;
    private readonly LogSourceOptions _options;
    private readonly List<Partition> _partitions = [];
    private long[] _next = [];
    private long[] _end = [];
    private long[] _committed = [];
    private readonly Dictionary<int, long> _restored = [];
    private readonly SourceReaderContext _context;
    private long _lastCommitMs;

    public LogTopicSourceReader(LogStore store, string topic, Converter convert, LogSourceOptions options, SourceReaderContext context)
    {
        _context = context;
        _store = store;
        _topic = topic;
        _convert = convert;
        _options = options;
        var all = store.DescribeTopic(topic).Partitions.Count;
        var wanted = options.Partitions ?? Enumerable.Range(0, all).ToArray();
        foreach (var p in wanted)
        {
            if (p < 0 || p >= all)
            {
                throw new ArgumentOutOfRangeException(nameof(options), $"Topic '{topic}' has no partition {p} (it has {all}).");
            }
        }

        for (var i = 0; i < wanted.Count; i++)
        {
            if (SplitAssignment.SubtaskOf(i, context.Parallelism) == context.SubtaskIndex)
            {
                _partitions.Add(store.GetPartition(topic, wanted[i]));
            }
        }
    }

    /// <summary>Turns a stored record of partition <paramref name="partition"/> into a stream record; false to skip it.</summary>
    public delegate bool Converter(LogRecord record, int partition, out T value);

    public override int SplitCount => _partitions.Count;

    public override void Open()
    {
        _lastCommitMs = _context.CurrentProcessingTimeMs;
        _next = new long[_partitions.Count];
        _end = new long[_partitions.Count];
        for (var i = 0; i < _partitions.Count; i++)
        {
            var partition = _partitions[i];
            _next[i] = _restored.TryGetValue(partition.Id, out var restored)
                ? Math.Clamp(restored, partition.LogStartOffset, partition.LogEndOffset)
                : StartOffset(partition, _options.StartingOffsets);
            _end[i] = _options.Bounded ? ReadableEnd(partition) : long.MaxValue;
        }

        _committed = (long[])_next.Clone();
    }

    /// <summary>The end of what this reader may read now: the last stable offset for read_committed, else the log end.</summary>
    private long ReadableEnd(Partition partition) => _options.ReadCommitted ? partition.LastStableOffset : partition.LogEndOffset;

    private long StartOffset(Partition partition, StartingOffsets start) => start.Kind switch
    {
        StartingOffsetsKind.Earliest => partition.LogStartOffset,
        StartingOffsetsKind.Latest => partition.LogEndOffset,
        StartingOffsetsKind.Offset => Math.Clamp(start.Value, partition.LogStartOffset, partition.LogEndOffset),
        StartingOffsetsKind.Committed => _store.GroupOffsets.TryFetch(start.GroupId!, _topic, partition.Id, out var committed)
            ? Math.Clamp(committed.Offset, partition.LogStartOffset, partition.LogEndOffset)
            : StartOffset(partition, start.Fallback!),
        _ => partition.TryFindOffsetByTimestamp(start.Value, out var found) ? found : partition.LogEndOffset,
    };

    /// <summary>Commits the positions that moved since the last commit to <see cref="LogSourceOptions.CommitToGroup"/> (one atomic batch).</summary>
    private void CommitPositions()
    {
        if (_options.CommitToGroup is not { } group || _context.CheckpointingEnabled)
        {
            return;
        }

        List<OffsetCommit>? commits = null;
        for (var i = 0; i < _partitions.Count; i++)
        {
            if (_next[i] != _committed[i])
            {
                (commits ??= []).Add(new OffsetCommit(_topic, _partitions[i].Id, _next[i], null, -1));
            }
        }

        if (commits is not null)
        {
            _store.GroupOffsets.Commit(group, commits);
            Array.Copy(_next, _committed, _next.Length);
        }
    }

    private void CommitPositionsIfDue()
    {
        if (_options.CommitToGroup is null || _context.CheckpointingEnabled)
        {
            return;
        }

        var now = _context.CurrentProcessingTimeMs;
        if (now - _lastCommitMs >= (long)_options.CommitInterval.TotalMilliseconds)
        {
            _lastCommitMs = now;
            CommitPositions();
        }
    }

    /// <summary>The partition the next poll starts with (rotates, so a full poll does not always favour the first partition).</summary>
    private int _pollStart;

    public override SourcePoll Poll(SourceOutput<T> output, int maxRecords)
    {
        var produced = 0;
        long bytesRead = 0;
        var finished = 0;
        var count = _partitions.Count;
        _pollStart = count == 0 ? 0 : (_pollStart + 1) % count;
        for (var k = 0; k < count; k++)
        {
            var i = (_pollStart + k) % count;
            if (produced >= maxRecords)
            {
                // The poll is full; the remaining partitions are read first next time (a poll is the unit between checkpoint barriers).
                break;
            }

            var partition = _partitions[i];
            var next = _next[i];
            if (next >= _end[i])
            {
                finished++;
                continue;
            }

            if (next >= ReadableEnd(partition))
            {
                continue;
            }

            // read_committed: only whole batches below the last stable offset, without those of aborted transactions.
            LogReadResult read;
            Dictionary<long, List<AbortedTransaction>>? aborted = null;
            if (_options.ReadCommitted)
            {
                read = partition.ReadCommitted(next, _options.MaxReadBytes, out var lastStableOffset);
                aborted = partition.AbortedTransactionsByProducer(next, lastStableOffset);
            }
            else
            {
                read = partition.Read(next, _options.MaxReadBytes);
            }

            var full = false;
            foreach (var (header, bytes) in RecordBatchReader.ReadBatches(read.Records))
            {
                if (full)
                {
                    break;
                }

                if (header.IsControl || (aborted is { Count: > 0 } && Partition.IsAborted(header, aborted)))
                {
                    next = Math.Max(next, header.BaseOffset + header.LastOffsetDelta + 1);
                    continue;
                }

                foreach (var record in RecordBatchReader.DecodeBatch(bytes.Span))
                {
                    if (record.Offset < next || record.Offset >= _end[i])
                    {
                        continue;
                    }

                    bytesRead += (record.Key?.Length ?? 0) + (record.Value?.Length ?? 0);
                    if (_convert(record, partition.Id, out var value))
                    {
                        output.Collect(value, record.Timestamp, i);
                    }

                    next = record.Offset + 1;
                    if (++produced >= maxRecords)
                    {
                        // Stop inside a large batch: the next poll re-reads it and skips the records before next.
                        full = true;
                        break;
                    }
                }

                if (!full)
                {
                    // Compaction leaves gaps: the batch's last offset, not its last record, says where the next one starts.
                    next = Math.Max(next, Math.Min(header.BaseOffset + header.LastOffsetDelta + 1, _end[i]));
                }
            }

            _next[i] = next;
        }

        output.CountBytesIn(bytesRead);
        if (_partitions.Count == 0 || finished == _partitions.Count)
        {
            if (_options.Bounded)
            {
                CommitPositions();
                return SourcePoll.EndOfInput;
            }

            CommitPositionsIfDue();
            return SourcePoll.NothingAvailable;
        }

        CommitPositionsIfDue();

        return produced > 0 ? SourcePoll.MoreAvailable : SourcePoll.NothingAvailable;
    }

    /// <summary>
    /// The next offset of each partition this reader owns: version byte 1, big-endian int32 count, then per partition a
    /// big-endian int32 partition id and int64 offset (the layout of the Kafka source's position).
    /// </summary>
    public override bool SupportsPositions => true;

    public override bool PositionsApplyAcrossParallelism => true;

    public override byte[] SnapshotPosition() =>
        PartitionOffsetsPosition.Encode(_partitions.Count, i => (_partitions[i].Id, _next.Length > i ? _next[i] : StartOffset(_partitions[i], _options.StartingOffsets)));

    /// <summary>
    /// Resumes the partitions this reader owns from <paramref name="position"/> (called before <see cref="Open"/>);
    /// partitions the position does not name start from the configured starting offsets, and partitions it names that
    /// this reader does not own are ignored, so positions of several subtasks can be restored at another parallelism.
    /// </summary>
    public override void RestorePosition(byte[] position)
    {
        var offsets = PartitionOffsetsPosition.Decode(position, "log topic source");
        if (_next.Length > 0)
        {
            throw new InvalidOperationException("A log topic source's position is restored before it is opened.");
        }

        foreach (var (partition, offset) in offsets)
        {
            _restored[partition] = offset;
        }
    }

    /// <summary>With <see cref="LogSourceOptions.CommitToGroup"/>: commits the completed checkpoint's positions (one atomic batch).</summary>
    public override void NotifyCheckpointComplete(long checkpointId, byte[] position)
    {
        if (_options.CommitToGroup is not { } group)
        {
            return;
        }

        var offsets = PartitionOffsetsPosition.Decode(position, "log topic source");
        if (offsets.Length > 0)
        {
            _store.GroupOffsets.Commit(group, [.. offsets.Select(o => new OffsetCommit(_topic, o.Partition, o.Offset, null, -1))]);
        }
    }
}
