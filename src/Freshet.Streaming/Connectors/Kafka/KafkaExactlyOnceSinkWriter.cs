using System.Buffers;
using System.Globalization;
using Confluent.Kafka;
using Freshet.Shared;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Connectors.Kafka;

/// <summary>
/// One subtask of <see cref="KafkaSink{T}"/> with <see cref="DeliveryGuarantee.ExactlyOnce"/>: a write-ahead
/// transactional writer. <see cref="Write"/> only serializes and buffers; <see cref="PreCommit"/> hands the buffered
/// records of checkpoint n to the checkpoint as the committable (<see cref="KafkaCommittable"/>), so they are as
/// durable as the checkpoint; <see cref="Commit"/> produces each committable in one Kafka transaction when its
/// checkpoint completes.
/// <para>
/// Why not Flink's design (open a Kafka transaction per checkpoint, pre-commit = flush, resume it after a crash by
/// setting the producer id and epoch through reflection): librdkafka cannot resume another producer's transaction —
/// InitTransactions fences and aborts it — so the pre-committed records would be lost. Here a transaction lives only
/// inside <see cref="Commit"/>, and a crashed commit is simply done again from the checkpoint's copy.
/// </para>
/// <para>
/// Idempotence: each transaction also commits, through SendOffsetsToTransaction, the checkpoint id as the offset of
/// partition 0 of the output topic for the marker group (named like the transactional id,
/// <c>{prefix}-{subtask}</c>). The marker becomes visible atomically with the records, so "committed offset ≥ n" means
/// "checkpoint n's records are in Kafka". The writer reads the marker once, after InitTransactions has fenced every
/// older producer of its transactional id (so no zombie can move it afterwards), then tracks it; a committable at or
/// below it is skipped. Recover and a repeated Commit therefore never duplicate, even when a process died between
/// Kafka's commit and the checkpoint's bookkeeping.
/// </para>
/// <para>
/// Invariants: checkpoint ids increase over the life of a transactional id (the restored checkpoint's successors are
/// numbered above it). A committable this writer pre-committed itself with an id at or below the marker it read means
/// the job restored an older checkpoint than the last one committed to Kafka, or another job uses the prefix; its
/// records are not silently dropped — <see cref="Commit"/> fails with that explanation. Records are produced in
/// checkpoint order and, within a checkpoint, in arrival order; partitioning is the Java client's murmur2 of the key
/// (librdkafka's <c>murmur2_random</c>, random for records without a key). A record without event time gets the wall
/// clock at <see cref="Write"/> as its timestamp, so a replayed commit produces the same timestamps.
/// </para>
/// <para>
/// Costs: records become visible one checkpoint interval after they arrive (Flink's two-phase-commit sink has the same
/// latency for read_committed readers), and each checkpoint holds the sink's output of one interval (state size).
/// <see cref="Flush"/> produces nothing; the runtime's final checkpoint at end of input commits the tail.
/// </para>
/// Not thread-safe: every call comes from the sink's task thread (the <see cref="TwoPhaseCommitSinkWriter{T}"/>
/// contract); librdkafka's own threads touch no field of this class.
/// </summary>
internal sealed class KafkaExactlyOnceSinkWriter<T> : TwoPhaseCommitSinkWriter<T>
{
    /// <summary>The marker's partition of the output topic; any partition works, the broker accepts any offset.</summary>
    private const int MarkerPartition = 0;

    private readonly KafkaSinkOptions _options;
    private readonly int _subtask;
    private readonly Action<T, IBufferWriter<byte>>? _writeKey;
    private readonly Action<T, IBufferWriter<byte>> _writeValue;
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly IConsumer<byte[], byte[]> _markerConsumer;
    private readonly ArrayBufferWriter<byte> _key = new(64);
    private readonly ArrayBufferWriter<byte> _value = new(256);

    /// <summary>The records since the last pre-commit, in <see cref="KafkaCommittable"/>'s record form.</summary>
    private readonly ArrayBufferWriter<byte> _records = new(4096);
    private int _recordCount;

    private bool _initialized;

    /// <summary>The marker as read after InitTransactions (-1 when the group has none); valid once <see cref="_initialized"/>.</summary>
    private long _markerAtStart = -1;

    /// <summary>The highest checkpoint id whose records are known to be committed in Kafka; valid once <see cref="_initialized"/>.</summary>
    private long _committedCheckpointId = -1;

    /// <summary>The lowest checkpoint id this instance pre-committed (its own, not restored, committables start there).</summary>
    private long _firstOwnCheckpointId = long.MaxValue;

    /// <summary>
    /// Set when a transaction failed and could not be aborted (fenced, or a commit whose outcome is unknown): whether
    /// its records are visible is then unknown to this instance, so it commits nothing more; a new writer's
    /// <see cref="Recover"/> settles it through the marker.
    /// </summary>
    private Exception? _broken;

    public KafkaExactlyOnceSinkWriter(KafkaSinkOptions options, int subtask, Action<T, IBufferWriter<byte>>? writeKey, Action<T, IBufferWriter<byte>> writeValue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.TransactionalIdPrefix);
        _options = options;
        _writeKey = writeKey;
        _writeValue = writeValue;
        _subtask = subtask;
        TransactionalId = options.TransactionalIdPrefix + "-" + subtask.ToString(CultureInfo.InvariantCulture);
        KafkaNativeLibrary.EnsureLoaded();
        var producerConfig = options.ProducerConfig();
        producerConfig.TransactionalId = TransactionalId;
        producerConfig.TransactionTimeoutMs = (int)options.TransactionTimeout.TotalMilliseconds;
        _producer = new ProducerBuilder<byte[]?, byte[]?>(producerConfig).Build();

        // Never subscribes: it only reads the marker and names the group in SendOffsetsToTransaction.
        // Same client properties as the producer (security settings among them).
        _markerConsumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig(options.Properties?.ToDictionary() ?? [])
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = TransactionalId,
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
    }

    /// <summary>This subtask's transactional id, <c>{prefix}-{subtask}</c>; also the marker's consumer group.</summary>
    public string TransactionalId { get; }

    /// <summary>The highest checkpoint whose records this writer knows to be in Kafka (-1: none, or not read yet).</summary>
    public long CommittedCheckpointId => _committedCheckpointId;

    /// <summary>The sink operator's counters; the bytes of keys and values written are added once per <see cref="Write"/>, when buffered for the checkpoint's transaction. Null counts nothing.</summary>
    public Operators.OperatorMetricsCounter? Metrics { get; init; }

    /// <summary>True for a record produced without a value (a tombstone); null: every record has one.</summary>
    public Func<T, bool>? IsTombstone { get; init; }

    /// <summary>Buffers the batch for the next pre-commit; produces nothing.</summary>
    public override void Write(ReadOnlySpan<T> values, ReadOnlySpan<long> timestamps)
    {
        var now = long.MinValue;
        long bytes = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var timestamp = timestamps[i];
            if (timestamp == long.MinValue)
            {
                timestamp = now == long.MinValue ? now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() : now;
            }

            _key.ResetWrittenCount();
            _writeKey?.Invoke(values[i], _key);
            _value.ResetWrittenCount();
            var hasValue = IsTombstone?.Invoke(values[i]) != true;
            if (hasValue)
            {
                _writeValue(values[i], _value);
            }

            KafkaCommittable.AppendRecord(_records, timestamp, _key.WrittenSpan, _writeKey is not null, _value.WrittenSpan, hasValue);
            _recordCount++;
            bytes += _key.WrittenCount + _value.WrittenCount;
        }

        if (Metrics is { } metrics)
        {
            metrics.BytesOut += bytes;
        }
    }

    /// <summary>Produces nothing: records reach Kafka only through <see cref="Commit"/> of a completed checkpoint.</summary>
    public override void Flush(bool endOfInput)
    {
    }

    /// <summary>Hands the records buffered since the last barrier to checkpoint <paramref name="checkpointId"/> and clears the buffer.</summary>
    public override byte[] PreCommit(long checkpointId)
    {
        var committable = KafkaCommittable.Create(checkpointId, _recordCount, _records.WrittenSpan);
        _records.ResetWrittenCount();
        _recordCount = 0;
        _firstOwnCheckpointId = Math.Min(_firstOwnCheckpointId, checkpointId);
        return committable;
    }

    /// <summary>Produces each committable not yet in Kafka in its own transaction, in order.</summary>
    /// <exception cref="InvalidOperationException">
    /// Kafka refused the transaction (the inner <see cref="KafkaException"/> says why, e.g. this producer was fenced by a
    /// newer instance; nothing of that committable is visible), or checkpoint ids went back below the last one
    /// committed (see the class remarks).
    /// </exception>
    public override void Commit(IReadOnlyList<byte[]> committables)
    {
        ArgumentNullException.ThrowIfNull(committables);
        ThrowIfBroken();
        EnsureInitialized();
        foreach (var committable in committables)
        {
            CommitOne(committable, restored: false);
        }
    }

    /// <summary>
    /// Fences every older producer of this transactional id (aborting what it left open), reads the marker, then
    /// produces the restored committables not yet in Kafka. After a scale-down, the committables of each old subtask
    /// this one takes over are produced under that subtask's transactional id and marker (a short-lived writer of that
    /// id), because the markers of two subtasks say different things: checkpoint n may be in Kafka for one and not the
    /// other. That writer's InitTransactions also aborts a transaction the removed subtask left open. Call before writing.
    /// </summary>
    public override void Recover(IReadOnlyList<RestoredCommittable> committables)
    {
        ArgumentNullException.ThrowIfNull(committables);
        ThrowIfBroken();
        EnsureInitialized();
        foreach (var group in committables.GroupBy(static c => c.Subtask))
        {
            if (group.Key == _subtask)
            {
                foreach (var committable in group)
                {
                    CommitOne(committable.Committable, restored: true);
                }

                continue;
            }

            using var takenOver = new KafkaExactlyOnceSinkWriter<T>(_options, group.Key, _writeKey, _writeValue) { IsTombstone = IsTombstone };
            takenOver.Recover([.. group]);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // No transaction is open between calls, so there is nothing to abort.
            _producer.Dispose();
            _markerConsumer.Dispose();
        }

        base.Dispose(disposing);
    }

    private void EnsureInitialized()
    {
        if (_initialized)
        {
            return;
        }

        // Fencing first: afterwards no zombie can commit a transaction that moves the marker behind our back.
        _producer.InitTransactions(_options.FlushTimeout);
        var committed = _markerConsumer.Committed([new TopicPartition(_options.Topic, MarkerPartition)], _options.FlushTimeout);
        var marker = committed.Count == 1 && committed[0].Offset.Value >= 0 ? committed[0].Offset.Value : -1;
        _markerAtStart = marker;
        _committedCheckpointId = marker;
        _initialized = true;
    }

    private void CommitOne(byte[] committable, bool restored)
    {
        var records = KafkaCommittable.Decode(committable, out var checkpointId);
        if (checkpointId <= _committedCheckpointId)
        {
            if (!restored && checkpointId >= _firstOwnCheckpointId && checkpointId <= _markerAtStart)
            {
                throw new InvalidOperationException(
                    $"Checkpoint {checkpointId} of the Kafka sink to '{_options.Topic}' is not above checkpoint {_markerAtStart}, the last one transactional id " +
                    $"'{TransactionalId}' committed to Kafka: the job restored an older checkpoint than the last committed one, or another job uses the same " +
                    "TransactionalIdPrefix. Its records are not written (they may duplicate output already committed); use a new TransactionalIdPrefix.");
            }

            return;
        }

        if (records.Length == 0)
        {
            // Nothing to make visible; the marker only has to cover checkpoints with records.
            return;
        }

        try
        {
            _producer.BeginTransaction();
            foreach (var record in records)
            {
                Produce(new Message<byte[]?, byte[]?> { Key = record.Key, Value = record.Value, Timestamp = new Timestamp(record.TimestampMs, TimestampType.CreateTime) });
            }

            _producer.SendOffsetsToTransaction(
                [new TopicPartitionOffset(_options.Topic, MarkerPartition, checkpointId)],
                _markerConsumer.ConsumerGroupMetadata,
                _options.FlushTimeout);
            CommitTransaction();
        }
        catch (KafkaException e)
        {
            var aborted = TryAbort();
            var error = new InvalidOperationException(
                $"The Kafka sink could not commit the {records.Length} records of checkpoint {checkpointId} to '{_options.Topic}' (transactional id '{TransactionalId}'): " +
                $"{e.Error.Reason}. " + (aborted
                    ? "The transaction was aborted; the checkpoint still holds the records."
                    : "The transaction could not be aborted; restore from the checkpoint, which still holds the records (a new writer commits them at most once)."),
                e);
            if (!aborted)
            {
                _broken = error;
            }

            throw error;
        }

        _committedCheckpointId = checkpointId;
    }

    private void Produce(Message<byte[]?, byte[]?> message)
    {
        while (true)
        {
            try
            {
                // No delivery handler: CommitTransaction fails if any record of the transaction was not delivered.
                _producer.Produce(_options.Topic, message);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Backpressure from librdkafka: serve its queue until there is room.
                _producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    private void CommitTransaction()
    {
        var deadline = DateTime.UtcNow + _options.FlushTimeout;
        while (true)
        {
            try
            {
                _producer.CommitTransaction(_options.FlushTimeout);
                return;
            }
            catch (KafkaRetriableException) when (DateTime.UtcNow < deadline)
            {
                // librdkafka's contract: a retriable commit error (e.g. a timeout) is resolved by calling commit again.
            }
        }
    }

    /// <summary>Aborts the open transaction; false when that failed (fatal error such as fencing, or a commit already under way).</summary>
    private bool TryAbort()
    {
        try
        {
            _producer.AbortTransaction(_options.FlushTimeout);
            return true;
        }
        catch (KafkaException)
        {
            // A newer instance's InitTransactions, or the transaction timeout, settles the transaction instead.
            return false;
        }
    }

    private void ThrowIfBroken()
    {
        if (_broken is { } error)
        {
            throw new InvalidOperationException($"The Kafka sink writer of transactional id '{TransactionalId}' failed earlier and commits nothing more; restore from the last checkpoint.", error);
        }
    }
}
