using Confluent.Kafka;
using Freshet.Shared;
using Freshet.Streaming.Sources;

namespace Freshet.Streaming.Connectors.Kafka;

/// <summary>
/// Reads this subtask's partitions of a Kafka topic through a Confluent.Kafka consumer with manual assignment
/// (partition <c>i</c> goes to subtask <c>i % p</c>; no group membership, no rebalancing); each partition is a split
/// with its own watermark. Offsets are resolved to numbers when the reader opens; in bounded mode a partition is done
/// once its position reaches the end offset seen then (control records at the end count, via the consumer position).
/// A record's source timestamp is its Kafka timestamp.
/// <para>
/// Position (<see cref="SnapshotPosition"/>): the next offset of each partition: version byte 1, big-endian int32
/// count, then per partition a big-endian int32 partition and int64 offset. A restored position replaces the
/// starting offsets of the partitions it names.
/// </para>
/// Task thread only; the consumer is created in <see cref="Open"/> and closed in <c>Dispose</c>.
/// </summary>
internal sealed class KafkaSourceReader<T> : SourceReader<T>
{
    private readonly KafkaSourceOptions _options;
    private readonly Converter _convert;
    private readonly SourceReaderContext _context;
    private readonly Dictionary<int, long> _restored = [];
    private readonly Dictionary<int, int> _splitOfPartition = [];
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private TopicPartition[] _partitions = [];
    private long[] _next = [];
    private long[] _end = [];
    private long[] _committed = [];
    private bool[] _done = [];
    private int _doneCount;
    private long _lastCommitMs;

    public KafkaSourceReader(KafkaSourceOptions options, Converter convert, SourceReaderContext context)
    {
        _options = options;
        _convert = convert;
        _context = context;
    }

    /// <summary>Turns a consumed record into a stream record; false to skip it (a tombstone for a value-only source).</summary>
    public delegate bool Converter(ConsumeResult<byte[]?, byte[]?> record, out T value);

    public override int SplitCount => _partitions.Length;

    public override void Open()
    {
        _lastCommitMs = _context.CurrentProcessingTimeMs;
        KafkaNativeLibrary.EnsureLoaded();
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(ConsumerConfig()).Build();
        var timeout = _options.RequestTimeout;
        var count = PartitionCount(timeout);
        var owned = new List<TopicPartition>();
        if (_options.OnlyPartition is { } only && only >= count)
        {
            throw new InvalidOperationException($"The topic '{_options.Topic}' has {count} partitions; this task reads partition {only}. Partitions of an application's input topics must not be removed.");
        }

        for (var p = 0; p < count; p++)
        {
            var mine = _options.OnlyPartition is { } onlyPartition ? p == onlyPartition : SplitAssignment.SubtaskOf(p, _context.Parallelism) == _context.SubtaskIndex;
            if (!mine)
            {
                continue;
            }

            _splitOfPartition[p] = owned.Count;
            owned.Add(new TopicPartition(_options.Topic, p));
        }

        _partitions = [.. owned];
        _next = new long[_partitions.Length];
        _end = new long[_partitions.Length];
        _done = new bool[_partitions.Length];
        var start = ResolveStart(_options.StartingOffsets, timeout);
        for (var i = 0; i < _partitions.Length; i++)
        {
            var watermarks = _consumer.QueryWatermarkOffsets(_partitions[i], timeout);
            var first = _restored.TryGetValue(_partitions[i].Partition.Value, out var restored) ? restored : start[i];
            _next[i] = Math.Clamp(first, watermarks.Low.Value, watermarks.High.Value);
            _end[i] = _options.Bounded ? watermarks.High.Value : long.MaxValue;
            if (_next[i] >= _end[i])
            {
                _done[i] = true;
                _doneCount++;
            }
        }

        _committed = (long[])_next.Clone();
        _consumer.Assign(_partitions.Select((tp, i) => new TopicPartitionOffset(tp, _next[i])).Where((_, i) => !_done[i]));
    }

    public override SourcePoll Poll(SourceOutput<T> output, int maxRecords)
    {
        var consumer = _consumer ?? throw new InvalidOperationException("The Kafka source reader was not opened.");
        var produced = 0;
        long bytesRead = 0;
        while (produced < maxRecords && _doneCount < _partitions.Length)
        {
            var result = consumer.Consume(TimeSpan.Zero);
            if (result is null)
            {
                break;
            }

            if (result.IsPartitionEOF || !_splitOfPartition.TryGetValue(result.Partition.Value, out var split) || _done[split])
            {
                continue;
            }

            var offset = result.Offset.Value;
            if (offset >= _end[split])
            {
                MarkDone(split);
                continue;
            }

            bytesRead += (result.Message.Key?.Length ?? 0) + (result.Message.Value?.Length ?? 0);
            if (Convert(result, out var value))
            {
                var timestamp = result.Message.Timestamp.Type == TimestampType.NotAvailable ? long.MinValue : result.Message.Timestamp.UnixTimestampMs;
                output.Collect(value, timestamp, split);
            }

            _next[split] = offset + 1;
            produced++;
            if (_next[split] >= _end[split])
            {
                MarkDone(split);
            }
        }

        output.CountBytesIn(bytesRead);
        if (produced == 0 && _options.Bounded)
        {
            // A partition whose last records are transaction markers delivers nothing more: its position says it is done.
            for (var i = 0; i < _partitions.Length; i++)
            {
                if (!_done[i] && consumer.Position(_partitions[i]) is { IsSpecial: false } position && position.Value >= _end[i])
                {
                    _next[i] = Math.Max(_next[i], _end[i]);
                    MarkDone(i);
                }
            }
        }

        if (_doneCount == _partitions.Length && _options.Bounded)
        {
            CommitPositions();
            return SourcePoll.EndOfInput;
        }

        CommitPositionsIfDue();
        return produced > 0 ? SourcePoll.MoreAvailable : SourcePoll.NothingAvailable;
    }

    public override bool SupportsPositions => true;

    public override bool PositionsApplyAcrossParallelism => true;

    public override byte[] SnapshotPosition() => PartitionOffsetsPosition.Encode(_partitions.Length, i => (_partitions[i].Partition.Value, _next[i]));

    public override void RestorePosition(byte[] position)
    {
        foreach (var (partition, offset) in PartitionOffsetsPosition.Decode(position, "Kafka source"))
        {
            _restored[partition] = offset;
        }

        if (_consumer is not null)
        {
            for (var i = 0; i < _partitions.Length; i++)
            {
                if (_restored.TryGetValue(_partitions[i].Partition.Value, out var offset) && !_done[i])
                {
                    _next[i] = offset;
                    _consumer.Seek(new TopicPartitionOffset(_partitions[i], offset));
                }
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _consumer is not null)
        {
            try
            {
                _consumer.Close();
            }
            catch (KafkaException)
            {
                // Closing only leaves the (unjoined) group and stops fetchers; the handle is destroyed below either way.
            }

            _consumer.Dispose();
            _consumer = null;
        }

        base.Dispose(disposing);
    }

    private bool Convert(ConsumeResult<byte[]?, byte[]?> result, out T value)
    {
        try
        {
            return _convert(result, out value);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"Cannot deserialize the record at {result.Topic}/{result.Partition.Value} offset {result.Offset.Value}: {e.Message}", e);
        }
    }

    private void MarkDone(int split)
    {
        if (!_done[split])
        {
            _done[split] = true;
            _doneCount++;
            _consumer!.Pause([_partitions[split]]);
        }
    }

    private ConsumerConfig ConsumerConfig()
    {
        var config = new ConsumerConfig();
        if (_options.Properties is not null)
        {
            foreach (var (name, value) in _options.Properties)
            {
                config.Set(name, value);
            }
        }

        config.BootstrapServers = _options.BootstrapServers;
        config.GroupId = _options.EffectiveGroupId ?? "freshet-source-" + Guid.NewGuid().ToString("N");
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        config.EnablePartitionEof = false;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        return config;
    }

    private int PartitionCount(TimeSpan timeout)
    {
        using var admin = new DependentAdminClientBuilder(_consumer!.Handle).Build();
        var metadata = admin.GetMetadata(_options.Topic, timeout);
        var topic = metadata.Topics.FirstOrDefault(t => t.Topic == _options.Topic);
        if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0)
        {
            var reason = topic is null ? "no metadata" : topic.Error.IsError ? topic.Error.Reason : "no partitions";
            throw new InvalidOperationException($"Kafka topic '{_options.Topic}' at {_options.BootstrapServers} cannot be read: {reason}.");
        }

        return topic.Partitions.Count;
    }

    /// <summary>The starting offset of each owned partition (may lie outside the stored range: the caller clamps).</summary>
    private long[] ResolveStart(StartingOffsets start, TimeSpan timeout)
    {
        var consumer = _consumer!;
        var result = new long[_partitions.Length];
        switch (start.Kind)
        {
            case StartingOffsetsKind.Earliest:
                Array.Fill(result, 0);
                break;
            case StartingOffsetsKind.Latest:
                Array.Fill(result, long.MaxValue);
                break;
            case StartingOffsetsKind.Offset:
                Array.Fill(result, start.Value);
                break;
            case StartingOffsetsKind.Timestamp:
                var found = consumer.OffsetsForTimes(_partitions.Select(tp => new TopicPartitionTimestamp(tp, new Timestamp(start.Value, TimestampType.CreateTime))), timeout);
                for (var i = 0; i < _partitions.Length; i++)
                {
                    var offset = found.First(f => f.Partition == _partitions[i].Partition).Offset;
                    result[i] = offset.IsSpecial ? long.MaxValue : offset.Value;
                }

                break;
            default:
                var committed = consumer.Committed(_partitions, timeout);
                var fallback = ResolveStart(start.Fallback!, timeout);
                for (var i = 0; i < _partitions.Length; i++)
                {
                    var offset = committed.First(c => c.Partition == _partitions[i].Partition).Offset;
                    result[i] = offset.IsSpecial ? fallback[i] : offset.Value;
                }

                break;
        }

        return result;
    }

    /// <summary>
    /// With <see cref="KafkaSourceOptions.CommitOffsets"/>: commits the completed checkpoint's positions to the group.
    /// A failed commit does not fail the job — a restore uses the checkpoint, not the group — and the next checkpoint's
    /// commit supersedes it.
    /// </summary>
    public override void NotifyCheckpointComplete(long checkpointId, byte[] position)
    {
        if (!_options.CommitOffsets || _consumer is null)
        {
            return;
        }

        var offsets = PartitionOffsetsPosition.Decode(position, "Kafka source");
        if (offsets.Length == 0)
        {
            return;
        }

        try
        {
            _consumer.Commit([.. offsets.Select(o => new TopicPartitionOffset(_options.Topic, o.Partition, o.Offset))]);
        }
        catch (KafkaException)
        {
            // Superseded by the next checkpoint's commit; the group offsets are for monitoring and later jobs only.
        }
    }

    private void CommitPositions()
    {
        if (!_options.CommitOffsets || _consumer is null || _context.CheckpointingEnabled)
        {
            return;
        }

        List<TopicPartitionOffset>? commits = null;
        for (var i = 0; i < _partitions.Length; i++)
        {
            if (_next[i] != _committed[i])
            {
                (commits ??= []).Add(new TopicPartitionOffset(_partitions[i], _next[i]));
            }
        }

        if (commits is not null)
        {
            _consumer.Commit(commits);
            Array.Copy(_next, _committed, _next.Length);
        }
    }

    private void CommitPositionsIfDue()
    {
        if (!_options.CommitOffsets || _context.CheckpointingEnabled)
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
}
