using Confluent.Kafka;
using Freshet.Shared;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Sources;

namespace Freshet.Streaming.Application.Repartition;

/// <summary>
/// The source of a downstream task: reads one partition of a repartition topic (written by
/// <see cref="RepartitionWriter{T}"/>s, format in <see cref="RepartitionRecordFormat"/>) through a Confluent.Kafka
/// consumer with manual assignment and, unless its consumer configuration says otherwise, <c>read_committed</c>
/// isolation, so records of aborted transactions never reach the task (an at-least-once application, which writes
/// no transactions, reads <c>read_uncommitted</c>). Data records are emitted with their event time.
/// <para>
/// Event time comes only from the markers: each upstream task is a split, numbered by its partition
/// (<see cref="SplitCount"/> = the upstream sub-topology's task count), whose watermark and idleness the reader sets
/// on the output (the source must use <c>WatermarkStrategy.DrivenByReader</c>). The task's watermark is then the
/// output's valve's: the minimum over upstream tasks that are not idle; an upstream task that has sent no marker yet
/// holds it back; when every upstream task is idle, the largest watermark they reached is emitted and the task goes
/// idle. A marker never lowers an upstream task's watermark (an upstream task restarted from an older checkpoint
/// repeats records, and its markers start lower again). Data records carry no upstream identity; a writer sends an
/// active marker before the records that follow an idle one, so they count again before their records arrive.
/// </para>
/// <para>
/// With <c>endAtFinalWatermark</c>, the reader reports the end of its input once every upstream task's watermark is
/// <see cref="long.MaxValue"/> (every upstream task's input ended: a bounded job). Only for jobs whose upstream writes
/// are committed before they are read (exactly-once), or that tolerate it: an at-least-once upstream task that fails
/// after its final markers repeats records this reader will no longer read.
/// </para>
/// <para>
/// Position (<see cref="SnapshotPosition"/>): the next offset, plus each upstream task's status and watermark
/// (<see cref="RepartitionReaderPosition"/>), so a restored reader keeps the event time it had. Without a restored
/// position the reader starts at the given <see cref="StartingOffsets"/> (the runtime passes the group's committed
/// offset) and learns the upstream tasks' state from the markers it reads. An application task commits its position
/// in its changelog together with its input offsets, so it restarts from a restored position whenever it has
/// committed before; writers therefore send markers only when an upstream task's watermark or idleness changes.
/// </para>
/// Task thread only; the consumer is created in <see cref="Open"/> and closed in <c>Dispose</c>.
/// </summary>
internal sealed class RepartitionSourceReader<T> : SourceReader<T>
{
    private readonly string _topic;
    private readonly int _partition;
    private readonly StartingOffsets _start;
    private readonly int _upstreamTaskCount;
    private readonly Serialization.ISerializer<T> _serializer;
    private readonly ConsumerConfig _consumerConfig;
    private readonly bool _endAtFinalWatermark;
    private readonly TimeSpan _requestTimeout;
    private readonly UpstreamStatus[] _statuses;
    private readonly long[] _watermarks;
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private long? _restoredNextOffset;

    /// <summary>Whether statuses restored from a position must still be handed to the output (at the first poll: the output does not exist before).</summary>
    private bool _statusesPending;

    private long _nextOffset;
    private bool _ended;

    /// <param name="topic">The repartition topic.</param>
    /// <param name="partition">The partition to read: the downstream task's partition.</param>
    /// <param name="start">Where to start without a restored position: <see cref="StartingOffsets.Committed"/> of the application's group, typically.</param>
    /// <param name="upstreamTaskCount">The number of writer identities of the topic (the upstream sub-topology's task count when each task has one writer to it): markers name 0 to this − 1.</param>
    /// <param name="serializer">The records' value serializer, the one the writers used.</param>
    /// <param name="consumerConfig">Connection settings (bootstrap servers, security); copied. Isolation, offset handling and, for committed start offsets, the group are set here.</param>
    /// <param name="endAtFinalWatermark">Whether to end when every upstream task's watermark is <see cref="long.MaxValue"/> (see the class notes).</param>
    /// <param name="requestTimeout">How long metadata and offset look-ups in <see cref="Open"/> may take.</param>
    public RepartitionSourceReader(
        string topic,
        int partition,
        StartingOffsets start,
        int upstreamTaskCount,
        Serialization.ISerializer<T> serializer,
        ConsumerConfig consumerConfig,
        bool endAtFinalWatermark,
        TimeSpan requestTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(upstreamTaskCount, 1);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(consumerConfig);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requestTimeout, TimeSpan.Zero);
        _topic = topic;
        _partition = partition;
        _start = start;
        _upstreamTaskCount = upstreamTaskCount;
        _serializer = serializer;
        _consumerConfig = new ConsumerConfig(consumerConfig.ToDictionary(static c => c.Key, static c => c.Value));
        _endAtFinalWatermark = endAtFinalWatermark;
        _requestTimeout = requestTimeout;
        _statuses = new UpstreamStatus[upstreamTaskCount];
        _watermarks = new long[upstreamTaskCount];
        Array.Fill(_watermarks, long.MinValue);
    }

    /// <summary>One split per upstream task.</summary>
    public override int SplitCount => _upstreamTaskCount;

    /// <summary>The offset of the next record to read (valid after <see cref="Open"/>): what the runtime commits for this partition.</summary>
    public long NextOffset => _nextOffset;

    public override bool SupportsPositions => true;

    public override void Open()
    {
        KafkaNativeLibrary.EnsureLoaded();
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(EffectiveConsumerConfig()).Build();
        var topicPartition = new TopicPartition(_topic, _partition);
        CheckPartitionExists();
        var stored = _consumer.QueryWatermarkOffsets(topicPartition, _requestTimeout);
        var first = _restoredNextOffset ?? ResolveStart(_start, topicPartition, stored);
        _nextOffset = Math.Clamp(first, stored.Low.Value, stored.High.Value);
        _consumer.Assign(new TopicPartitionOffset(topicPartition, _nextOffset));
    }

    public override SourcePoll Poll(SourceOutput<T> output, int maxRecords)
    {
        var consumer = _consumer ?? throw new InvalidOperationException("The repartition source reader was not opened.");
        if (_statusesPending)
        {
            // A poll of its own, so the restored watermark is emitted before any record read after the position.
            HandRestoredStatusesTo(output);
            return SourcePoll.MoreAvailable;
        }

        if (_ended)
        {
            return SourcePoll.EndOfInput;
        }

        var consumed = 0;
        while (consumed < maxRecords)
        {
            var result = consumer.Consume(TimeSpan.Zero);
            if (result is null)
            {
                break;
            }

            if (result.IsPartitionEOF)
            {
                continue;
            }

            var offset = result.Offset.Value;
            RepartitionRecordKind kind;
            WatermarkMarker marker;
            long eventTime;
            try
            {
                kind = RepartitionRecordFormat.Read(result.Message, out marker, out eventTime);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"The record at {_topic}/{_partition} offset {offset} is not a repartition record: {e.Message}", e);
            }

            if (kind == RepartitionRecordKind.Data)
            {
                // Split 0 only satisfies the output's range check: with reader-driven watermarks records move no watermark.
                output.Collect(Deserialize(result.Message.Value, offset), eventTime, 0);
            }
            else
            {
                Apply(output, marker, offset);
            }

            _nextOffset = offset + 1;
            consumed++;
        }

        if (_endAtFinalWatermark && AllUpstreamTasksEnded())
        {
            _ended = true;
            return SourcePoll.EndOfInput;
        }

        return consumed > 0 ? SourcePoll.MoreAvailable : SourcePoll.NothingAvailable;
    }

    public override byte[] SnapshotPosition() =>
        new RepartitionReaderPosition(_nextOffset, (UpstreamStatus[])_statuses.Clone(), (long[])_watermarks.Clone()).Encode();

    public override void RestorePosition(byte[] position)
    {
        var restored = RepartitionReaderPosition.Decode(position);
        if (restored.Statuses.Length != _upstreamTaskCount)
        {
            throw new ArgumentException(
                $"The position of repartition topic '{_topic}' partition {_partition} was written for {restored.Statuses.Length} upstream tasks; the upstream sub-topology now has {_upstreamTaskCount}.",
                nameof(position));
        }

        restored.Statuses.CopyTo(_statuses, 0);
        restored.Watermarks.CopyTo(_watermarks, 0);
        _restoredNextOffset = restored.NextOffset;
        _statusesPending = true;
        if (_consumer is not null)
        {
            _nextOffset = restored.NextOffset;
            _consumer.Seek(new TopicPartitionOffset(_topic, _partition, restored.NextOffset));
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
                // Closing only stops fetchers (the consumer joined no group); the handle is destroyed below either way.
            }

            _consumer.Dispose();
            _consumer = null;
        }

        base.Dispose(disposing);
    }

    /// <summary>Takes in one upstream task's marker: raises its watermark (never lowers it) and sets its idleness on the output when either changed.</summary>
    private void Apply(SourceOutput<T> output, WatermarkMarker marker, long offset)
    {
        var task = marker.UpstreamTask;
        if (task >= _upstreamTaskCount)
        {
            throw new InvalidDataException(
                $"The watermark marker at {_topic}/{_partition} offset {offset} comes from upstream task {task}, but the upstream sub-topology has {_upstreamTaskCount} tasks (0 to {_upstreamTaskCount - 1}); was the topic written by another version of the job?");
        }

        var raised = marker.Watermark > _watermarks[task];
        if (raised)
        {
            _watermarks[task] = marker.Watermark;
        }

        var status = marker.Idle ? UpstreamStatus.Idle : UpstreamStatus.Active;
        if (!raised && status == _statuses[task])
        {
            // A marker that changes nothing (an upstream task restarted from an older commit sends its markers again): nothing to re-signal.
            return;
        }

        _statuses[task] = status;
        output.AdvanceSplitWatermark(task, _watermarks[task]);
        if (marker.Idle)
        {
            output.MarkSplitIdle(task);
        }
    }

    private void HandRestoredStatusesTo(SourceOutput<T> output)
    {
        _statusesPending = false;
        for (var task = 0; task < _upstreamTaskCount; task++)
        {
            if (_statuses[task] == UpstreamStatus.Unknown)
            {
                continue;
            }

            output.AdvanceSplitWatermark(task, _watermarks[task]);
            if (_statuses[task] == UpstreamStatus.Idle)
            {
                output.MarkSplitIdle(task);
            }
        }
    }

    private bool AllUpstreamTasksEnded()
    {
        foreach (var watermark in _watermarks)
        {
            if (watermark != long.MaxValue)
            {
                return false;
            }
        }

        return true;
    }

    private T Deserialize(byte[]? value, long offset)
    {
        try
        {
            return _serializer.Deserialize(value ?? []);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"Cannot deserialize the record at {_topic}/{_partition} offset {offset}: {e.Message}", e);
        }
    }

    private ConsumerConfig EffectiveConsumerConfig()
    {
        var config = new ConsumerConfig(_consumerConfig.ToDictionary(static c => c.Key, static c => c.Value))
        {
            IsolationLevel = _consumerConfig.IsolationLevel ?? IsolationLevel.ReadCommitted,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        config.GroupId = _start.Kind == StartingOffsetsKind.Committed ? _start.GroupId : config.GroupId ?? "freshet-repartition-" + Guid.NewGuid().ToString("N");
        return config;
    }

    private void CheckPartitionExists()
    {
        using var admin = new DependentAdminClientBuilder(_consumer!.Handle).Build();
        var metadata = admin.GetMetadata(_topic, _requestTimeout);
        var topic = metadata.Topics.FirstOrDefault(t => t.Topic == _topic);
        if (topic is null || topic.Error.IsError)
        {
            var reason = topic is null ? "no metadata" : topic.Error.Reason;
            throw new InvalidOperationException($"Repartition topic '{_topic}' cannot be read: {reason}.");
        }

        if (_partition >= topic.Partitions.Count)
        {
            throw new InvalidOperationException($"Repartition topic '{_topic}' has {topic.Partitions.Count} partitions; the task of partition {_partition} cannot read it.");
        }
    }

    /// <summary>The start offset of the partition (may lie outside the stored range: the caller clamps).</summary>
    private long ResolveStart(StartingOffsets start, TopicPartition topicPartition, WatermarkOffsets stored)
    {
        var consumer = _consumer!;
        switch (start.Kind)
        {
            case StartingOffsetsKind.Earliest:
                return stored.Low.Value;
            case StartingOffsetsKind.Latest:
                return stored.High.Value;
            case StartingOffsetsKind.Offset:
                return start.Value;
            case StartingOffsetsKind.Timestamp:
                var found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(topicPartition, new Timestamp(start.Value, TimestampType.CreateTime))], _requestTimeout);
                return found[0].Offset.IsSpecial ? stored.High.Value : found[0].Offset.Value;
            default:
                var committed = consumer.Committed([topicPartition], _requestTimeout)[0].Offset;
                return committed.IsSpecial ? ResolveStart(start.Fallback!, topicPartition, stored) : committed.Value;
        }
    }
}
