using System.Buffers;
using Confluent.Kafka;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;

namespace Freshet.Streaming.Application.Repartition;

/// <summary>
/// The end of an upstream task's chain at a cut exchange (KeyBy, rebalance): writes the records to the repartition
/// topic, each to the partition the edge's router picks, and tells every partition the task's event time through
/// watermark markers (<see cref="RepartitionRecordFormat"/>). Downstream task p reads partition p with a
/// <see cref="RepartitionSourceReader{T}"/>.
/// <para>
/// Placement: the router is the downstream node's own router built at parallelism = partition count (for a key
/// exchange, key → stable hash → key group → range), so a record lands in the partition whose task owns its key group
/// — the subtask the single-process engine would send it to — in every process and every run. A broadcast target
/// (<see cref="Router{T}.AllTargets"/>) writes the record to every partition.
/// </para>
/// <para>
/// Markers: on a watermark, a marker (this task, watermark, active) to every partition; on <c>Idle</c>, a marker (this
/// task, last watermark, idle) to every partition; before the first records after going idle, an active marker again.
/// A partition's records and markers from one task are in the order the task wrote them, so a downstream task never
/// sees a record of this task behind a watermark this task sent it. Barriers add no markers: a downstream task keeps
/// the upstream tasks' statuses it has read in its source position, committed with its input offsets, so one that
/// restarts from those offsets also restores what the markers before them said.
/// </para>
/// <para>
/// Delivery: records are handed to the producer without waiting (<c>Produce</c>); the first failed delivery report
/// fails the task at its next call. At a checkpoint barrier and at end of input the writer waits until the producer
/// has delivered everything (<c>Flush</c>), so a completed checkpoint never covers records still in flight. The
/// producer is the task's, shared with changelogs and sinks, and not owned: in exactly-once mode the runtime begins and
/// commits its transactions around this operator, which only produces. The producer must keep each partition's order
/// across retries (idempotent or transactional), or a retried record could land behind a marker sent after it.
/// </para>
/// <para>
/// Costs: one Kafka record per data record (a broadcast record: one per partition), plus one marker per partition each
/// time the task's watermark advances (after each source poll, so about one per partition per batch) or its idleness
/// changes.
/// </para>
/// Not thread-safe: the task thread only; delivery reports arrive on librdkafka's thread and only set
/// <see cref="_deliveryFailure"/>.
/// </summary>
internal sealed class RepartitionWriter<T> : Operator<T>, ICheckpointedOperator
{
    private readonly string _topic;
    private readonly int _upstreamTask;
    private readonly Router<T> _router;
    private readonly Serialization.ISerializer<T> _serializer;
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly TimeSpan _flushTimeout;
    private readonly TopicPartition[] _partitions;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onDelivery;
    private int[] _targets = [];

    /// <summary>The first failed delivery report (set on librdkafka's thread), or null.</summary>
    private volatile DeliveryReport<byte[]?, byte[]?>? _deliveryFailure;

    /// <summary>The last watermark this task announced (event time, ms).</summary>
    private long _watermark = long.MinValue;

    /// <summary>Whether the last marker written said idle.</summary>
    private bool _idle;

    /// <param name="setup">The operator's setup in the upstream task's chain.</param>
    /// <param name="topic">The repartition topic.</param>
    /// <param name="partitionCount">The topic's partition count = the downstream sub-topology's task count.</param>
    /// <param name="router">The downstream node's router at parallelism <paramref name="partitionCount"/>: its targets are partitions.</param>
    /// <param name="upstreamTask">
    /// This writer's identity in markers: the upstream task's partition, <c>0 ≤ upstreamTask &lt;</c> the upstream
    /// sub-topology's task count. It must be unique among all writers to the topic, because a reader keeps one
    /// watermark per identity: when one task holds several writers to the same topic (a union of branches with their
    /// own sources), or several sub-topologies write to it, number them densely (task × writers per task + writer)
    /// and give the readers the total as their upstream task count.
    /// </param>
    /// <param name="serializer">The records' value serializer (the edge's, else <c>Serializers.Default&lt;T&gt;()</c>).</param>
    /// <param name="producer">The task's producer; not disposed here.</param>
    /// <param name="flushTimeout">How long a barrier or the end of input waits for deliveries before failing the task.</param>
    public RepartitionWriter(OperatorSetup setup, string topic, int partitionCount, Router<T> router, int upstreamTask, Serialization.ISerializer<T> serializer, IProducer<byte[]?, byte[]?> producer, TimeSpan flushTimeout)
        : base(setup)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(upstreamTask);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(flushTimeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(producer);
        _topic = topic;
        _upstreamTask = upstreamTask;
        _router = router;
        _serializer = serializer;
        _producer = producer;
        _flushTimeout = flushTimeout;
        _partitions = new TopicPartition[partitionCount];
        for (var p = 0; p < partitionCount; p++)
        {
            _partitions[p] = new TopicPartition(topic, p);
        }

        _onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                _deliveryFailure ??= report;
            }
        };
    }

    /// <summary>The repartition topic.</summary>
    public string Topic => _topic;

    public IReadOnlyList<string> StateSections { get; } = [];

    protected override void ProcessBatch(StreamBatch<T> batch)
    {
        ThrowIfDeliveryFailed();
        if (_idle)
        {
            // Downstream tasks left this task out of their minimum; they must count it again before its records.
            WriteMarkers(idle: false);
        }

        var count = batch.Count;
        if (_targets.Length < count)
        {
            _targets = new int[batch.Capacity];
        }

        var targets = _targets.AsSpan(0, count);
        _router.Route(batch.ValueSpan, targets);
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < count; i++)
        {
            var target = targets[i];
            _buffer.ResetWrittenCount();
            _serializer.Serialize(values[i], _buffer);
            var value = _buffer.WrittenSpan.ToArray();
            if (target == Router<T>.AllTargets)
            {
                for (var p = 0; p < _partitions.Length; p++)
                {
                    Produce(_partitions[p], RepartitionRecordFormat.DataMessage(value, timestamps[i]));
                }

                continue;
            }

            if ((uint)target >= (uint)_partitions.Length)
            {
                throw new InvalidOperationException($"The router of repartition topic '{_topic}' chose partition {target}; the topic has {_partitions.Length} (the router must be built at parallelism = partition count).");
            }

            Produce(_partitions[target], RepartitionRecordFormat.DataMessage(value, timestamps[i]));
        }

        Metrics.RecordsOut += count;
    }

    protected override void OnWatermark(long watermark)
    {
        ThrowIfDeliveryFailed();
        _watermark = watermark;
        WriteMarkers(idle: false);
    }

    protected override void OnIdle()
    {
        ThrowIfDeliveryFailed();
        WriteMarkers(idle: true);
    }

    protected override void OnFinish() => Flush();

    /// <summary>At a checkpoint barrier: waits until every record is delivered. Writes and stores nothing.</summary>
    public Func<IReadOnlyList<(string Name, byte[] Bytes)>>? SnapshotState(long checkpointId)
    {
        ThrowIfDeliveryFailed();
        Flush();
        return null;
    }

    public void RestoreState(Checkpoints.RestoredOperatorState restored)
    {
    }

    private void WriteMarkers(bool idle)
    {
        var marker = new WatermarkMarker(_upstreamTask, _watermark, idle);
        for (var p = 0; p < _partitions.Length; p++)
        {
            Produce(_partitions[p], RepartitionRecordFormat.MarkerMessage(marker));
        }

        _idle = idle;
    }

    private void Flush()
    {
        var remaining = _producer.Flush(_flushTimeout);
        ThrowIfDeliveryFailed();
        if (remaining > 0)
        {
            throw new TimeoutException($"{remaining} records to repartition topic '{_topic}' (and other outputs of the task's producer) were not acknowledged within {_flushTimeout}.");
        }
    }

    private void Produce(TopicPartition partition, Message<byte[]?, byte[]?> message)
    {
        while (true)
        {
            try
            {
                _producer.Produce(partition, message, _onDelivery);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Backpressure from librdkafka: serve delivery reports until the queue has room.
                _producer.Poll(TimeSpan.FromMilliseconds(50));
                ThrowIfDeliveryFailed();
            }
            catch (ProduceException<byte[]?, byte[]?> e)
            {
                // Refused before queueing (a partition the topic lacks, a producer outside its transaction): name where.
                throw new KafkaException(new Error(e.Error.Code, $"Writing to repartition topic '{_topic}' partition {partition.Partition.Value} failed: {e.Error.Reason}", e.Error.IsFatal), e);
            }
        }
    }

    private void ThrowIfDeliveryFailed()
    {
        if (_deliveryFailure is { } failure)
        {
            throw new KafkaException(new Error(failure.Error.Code, $"Writing to repartition topic '{_topic}' partition {failure.Partition.Value} failed: {failure.Error.Reason}", failure.Error.IsFatal));
        }
    }
}
