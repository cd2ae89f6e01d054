using Freshet.Log;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Transactions;

namespace Freshet.Streaming.Connectors.LogTopic;

/// <summary>
/// The transactional half of an exactly-once sink to a Freshet.Log topic (Flink's two-phase-commit Kafka sink,
/// in process): records are appended inside a log transaction; at a checkpoint barrier <see cref="PreCommit"/> makes
/// them durable and hands back a <see cref="LogTransactionCommittable"/> for the checkpoint to record, and new records
/// go to a new transaction; when the checkpoint completes, <see cref="Commit"/> commits it. read_committed readers see
/// each record once, and only after its checkpoint completed.
/// <para>
/// Transactional ids: <c>{prefix}-{subtask}-{n}</c> from a small pool. Between a pre-commit and its commit the next
/// transaction is already open, so a subtask needs several ids; an id is reused only after its transaction is
/// committed. Each id's producer is initialised once per writer and then runs one transaction after another.
/// </para>
/// <para>
/// Recovery (a new process, or a restart in process): <see cref="Recover"/> first commits the committables restored
/// from the checkpoint (committing twice is harmless), then re-initialises every other id of this prefix and subtask,
/// which aborts the transactions a failed attempt left open — without that they would hold the partitions' last stable
/// offset back until their timeout. After a scale-down, subtask i also does this for the ids of every removed subtask
/// s with s mod parallelism = i (the same subtask that takes over s's restored committables). Requirement, as in Flink: the transaction timeout must exceed the time from a
/// checkpoint to its completion plus a restart; a transaction aborted by timeout before its commit loses its records,
/// which <see cref="Commit"/> reports as an error.
/// </para>
/// Not thread-safe: one subtask's task thread (and its checkpoint notifications) only.
/// </summary>
internal sealed class TransactionalLogWriter : IDisposable
{
    private readonly LogStore _store;
    private readonly TransactionCoordinator _coordinator;
    private readonly string _topic;
    private readonly string _sinkPrefix;
    private readonly string _idPrefix;
    private readonly int _subtask;
    private readonly int _parallelism;
    private readonly int _transactionTimeoutMs;
    private readonly Partition[] _partitions;
    private readonly RecordBatchBuilder[] _builders;
    private readonly Dictionary<int, PooledProducer> _producers = [];
    private readonly HashSet<int> _pendingCommit = [];
    private PooledProducer? _current;
    private bool[] _added;

    /// <param name="transactionalIdPrefix">Unique per sink of a job and stable across restarts (e.g. job name + sink uid).</param>
    /// <param name="subtask">This writer's subtask index.</param>
    /// <param name="parallelism">The sink's parallelism in this run (the ids of subtasks at or above it belong to a run that had more).</param>
    public TransactionalLogWriter(LogStore store, string topic, string transactionalIdPrefix, int subtask, int parallelism, int transactionTimeoutMs)
    {
        _store = store;
        _coordinator = store.Transactions;
        _topic = topic;
        _sinkPrefix = transactionalIdPrefix + "-";
        _idPrefix = $"{transactionalIdPrefix}-{subtask}-";
        _subtask = subtask;
        _parallelism = parallelism;
        _transactionTimeoutMs = transactionTimeoutMs;
        var count = store.DescribeTopic(topic).Partitions.Count;
        _partitions = new Partition[count];
        _builders = new RecordBatchBuilder[count];
        _added = new bool[count];
        for (var p = 0; p < count; p++)
        {
            _partitions[p] = store.GetPartition(topic, p);
            _builders[p] = new RecordBatchBuilder { IsTransactional = true };
        }
    }

    /// <summary>Number of partitions of the topic.</summary>
    public int PartitionCount => _partitions.Length;

    /// <summary>Transactions pre-committed and not yet committed.</summary>
    public int PendingCommits => _pendingCommit.Count;

    /// <summary>
    /// Commits <paramref name="restored"/> (the committables of the checkpoint being restored, possibly of other
    /// subtasks' ids after a rescale), then aborts every other transaction of this writer's ids — and after a scale-down
    /// of the ids of the removed subtasks it takes over — left open by an earlier attempt. Call once, before writing.
    /// </summary>
    public void Recover(IEnumerable<LogTransactionCommittable> restored)
    {
        foreach (var committable in restored)
        {
            CommitTransaction(committable);
        }

        foreach (var id in _coordinator.ListTransactionalIds())
        {
            // Still open after the commits above: a later transaction of a failed attempt (a restored committable's own
            // transaction is committed by now). A newer epoch fences that attempt's producer and aborts it.
            if (IsTakenOver(id) && _coordinator.TryDescribe(id, out var description) && description.State == TransactionState.Ongoing)
            {
                _coordinator.InitProducerId(id, _transactionTimeoutMs);
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="id"/> (<c>{prefix}-{subtask}-{n}</c>) is this writer's, or belongs to a subtask removed by a
    /// scale-down that this writer takes over. Ids of other sinks whose prefix merely starts the same way do not parse.
    /// </summary>
    private bool IsTakenOver(string id)
    {
        if (id.StartsWith(_idPrefix, StringComparison.Ordinal))
        {
            return true;
        }

        if (!id.StartsWith(_sinkPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = id.AsSpan(_sinkPrefix.Length);
        var dash = rest.IndexOf('-');
        return dash > 0 &&
            int.TryParse(rest[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var owner) &&
            int.TryParse(rest[(dash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _) &&
            owner >= _parallelism && owner % _parallelism == _subtask;
    }

    /// <summary>Adds a record to the current transaction (opened on the first record after a pre-commit).</summary>
    public void Write(int partition, long timestampMs, byte[]? key, byte[]? value)
    {
        var producer = _current ??= BeginTransaction();
        if (!_added[partition])
        {
            _coordinator.AddPartitions(producer.TransactionalId, producer.Id.ProducerId, producer.Id.ProducerEpoch, [new TransactionPartition(_topic, partition)]);
            _added[partition] = true;
        }

        _builders[partition].Add(timestampMs, key, value);
    }

    /// <summary>Appends the records buffered since the last flush to their partitions (still uncommitted).</summary>
    public void FlushBatches()
    {
        if (_current is not { } producer)
        {
            return;
        }

        for (var p = 0; p < _builders.Length; p++)
        {
            var builder = _builders[p];
            if (builder.Count == 0)
            {
                continue;
            }

            var count = builder.Count;
            builder.ProducerId = producer.Id.ProducerId;
            builder.ProducerEpoch = producer.Id.ProducerEpoch;
            builder.BaseSequence = producer.NextSequence[p];
            _partitions[p].Append(builder.Build());
            builder.Reset();
            producer.NextSequence[p] = (int)((producer.NextSequence[p] + (long)count) % int.MaxValue);
        }
    }

    /// <summary>
    /// At the barrier of checkpoint <paramref name="checkpointId"/>: appends and fsyncs the transaction's records and
    /// returns what the checkpoint must record to commit it; null when nothing was written since the last pre-commit.
    /// </summary>
    public LogTransactionCommittable? PreCommit(long checkpointId)
    {
        if (_current is not { } producer)
        {
            return null;
        }

        FlushBatches();
        for (var p = 0; p < _partitions.Length; p++)
        {
            if (_added[p])
            {
                _partitions[p].Flush();
            }
        }

        _pendingCommit.Add(producer.PoolIndex);
        _current = null;
        Array.Clear(_added);
        return new LogTransactionCommittable(producer.TransactionalId, producer.Id.ProducerId, producer.Id.ProducerEpoch, checkpointId);
    }

    /// <summary>Commits a pre-committed transaction (its checkpoint completed). Committing it again is harmless.</summary>
    /// <exception cref="InvalidOperationException">The transaction was aborted (e.g. by its timeout): its records are lost.</exception>
    public void Commit(LogTransactionCommittable committable)
    {
        CommitTransaction(committable);
        foreach (var (index, producer) in _producers)
        {
            if (producer.TransactionalId == committable.TransactionalId)
            {
                _pendingCommit.Remove(index);
            }
        }
    }

    /// <summary>
    /// Aborts the open transaction (a failing or cancelled job), best effort: its timeout aborts it otherwise. It fences
    /// the id with a new epoch rather than ending the transaction, so the id's history stays readable by
    /// <see cref="MovedOnAfterCommit"/>.
    /// </summary>
    public void AbortCurrent()
    {
        if (_current is not { } producer)
        {
            return;
        }

        _current = null;
        Array.Clear(_added);
        foreach (var builder in _builders)
        {
            builder.Reset();
        }

        try
        {
            _coordinator.InitProducerId(producer.TransactionalId, _transactionTimeoutMs);
        }
        catch (LogException)
        {
            // The store is closing or the id is busy: the transaction's timeout aborts it.
        }
    }

    public void Dispose() => AbortCurrent();

    private void CommitTransaction(LogTransactionCommittable committable)
    {
        try
        {
            _coordinator.EndTransaction(committable.TransactionalId, committable.ProducerId, committable.ProducerEpoch, commit: true);
        }
        catch (LogException) when (_coordinator.TryDescribe(committable.TransactionalId, out var current) && MovedOnAfterCommit(committable, current))
        {
            // Committed by an earlier attempt (before the crash or the restart); the id has been used again since.
        }
        catch (LogException e)
        {
            throw new InvalidOperationException(
                $"Cannot commit the output of checkpoint {committable.CheckpointId} (transaction '{committable.TransactionalId}', producer {committable.ProducerId} epoch {committable.ProducerEpoch}): {e.Message} " +
                "If it was aborted by its timeout, raise the sink's transaction timeout above the checkpoint interval plus the restart time.",
                e);
        }
    }

    /// <summary>
    /// Whether the id's state shows that <paramref name="committable"/>'s transaction ended committed although it can no
    /// longer be committed: the pool starts a new epoch for each transaction only after the previous one committed, and
    /// a dispose or a recovery fences with a further epoch. The one exception is the log aborting the transaction by its
    /// timeout, which leaves it aborted at exactly the next epoch.
    /// </summary>
    private static bool MovedOnAfterCommit(LogTransactionCommittable committable, TransactionDescription current)
    {
        if (current.ProducerId != committable.ProducerId)
        {
            return true;
        }

        var abortedByTimeout = current.State == TransactionState.CompleteAbort && current.ProducerEpoch == committable.ProducerEpoch + 1;
        return current.ProducerEpoch > committable.ProducerEpoch && !abortedByTimeout;
    }

    private PooledProducer BeginTransaction()
    {
        var index = 0;
        while (_pendingCommit.Contains(index))
        {
            index++;
        }

        // A new epoch for every transaction of an id: a restored committable of an earlier transaction of the same id
        // is then recognisable as finished (see CommitTransaction). The pool reuses an id only after its commit.
        var id = _idPrefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var producer = new PooledProducer(index, id, _coordinator.InitProducerId(id, _transactionTimeoutMs), new int[_partitions.Length]);
        _producers[index] = producer;
        return producer;
    }

    /// <summary>One transactional id of the pool, its producer, and the next sequence number per partition.</summary>
    private sealed record PooledProducer(int PoolIndex, string TransactionalId, ProducerIdAndEpoch Id, int[] NextSequence);
}
