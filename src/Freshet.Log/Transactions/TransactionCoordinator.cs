using System.Text;
using Freshet.Log.Durability;
using Freshet.Log.Groups;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Topics;

namespace Freshet.Log.Transactions;

/// <summary>
/// Kafka's transaction coordinator for the embedded log: binds a transactional id to a producer id
/// and epoch, tracks the partitions and group offsets of its open transaction, and ends it by writing
/// COMMIT or ABORT markers to every partition in it (see <c>docs/log-format.md</c>, Transactions).
/// <para>
/// Protocol, per transactional id: <see cref="InitProducerId"/> (a newer epoch fences older instances
/// and aborts a transaction they left open) → <see cref="AddPartitions"/> and <see cref="AddOffsets"/>
/// (the first one opens a transaction) → transactional appends through <see cref="Partition.Append"/>
/// and <see cref="TxnOffsetCommit"/> → <see cref="EndTransaction"/>. A transaction open longer than
/// its timeout is aborted by <see cref="AbortTimedOutTransactions"/> (run by the store's maintenance),
/// with an epoch bump that fences its producer.
/// </para>
/// <para>
/// Durability: every state change is a record in the internal compacted partition
/// <c>DIR/internal/__transaction_state/0</c>, fsynced before the call goes on. Ending a transaction
/// writes PrepareCommit/PrepareAbort, then the markers (each fsynced), then (on commit) the group
/// offsets, then CompleteCommit/CompleteAbort. On open, transactions found in a Prepare state are
/// completed, Ongoing ones are registered again with their partitions, and a partition holding an
/// open transaction the coordinator no longer knows as ongoing gets the marker of the decision
/// recorded for it (an abort when none was recorded).
/// </para>
/// <para>
/// Producer ids handed out here start at <see cref="FirstProducerId"/>, far above the ids a broker
/// gives idempotent producers, so the two never meet.
/// </para>
/// Thread-safety: all members are safe to call from any thread; operations are serialized by one lock,
/// held across the fsyncs of one operation.
/// </summary>
public sealed class TransactionCoordinator
{
    /// <summary>Largest transaction timeout accepted, in milliseconds (Kafka's <c>transaction.max.timeout.ms</c> default: 15 minutes).</summary>
    public const int MaxTransactionTimeoutMs = 900_000;

    /// <summary>The first producer id given to a transactional id (2^48).</summary>
    public const long FirstProducerId = 1L << 48;

    /// <summary>Name of the internal log, as in Kafka.</summary>
    internal const string LogName = "__transaction_state";

    /// <summary>Coordinator epoch written into markers: a single node has one coordinator, forever epoch 0.</summary>
    private const int CoordinatorEpoch = 0;

    private readonly object _lock = new();
    private readonly Dictionary<string, TransactionMetadata> _transactions = new(StringComparer.Ordinal);
    private readonly Partition _log;
    private readonly TimeProvider _clock;
    private readonly GroupOffsetStore _groupOffsets;
    private readonly Func<string, int, Partition?> _findPartition;
    private long _nextProducerId = FirstProducerId;

    private TransactionCoordinator(Partition log, TimeProvider clock, GroupOffsetStore groupOffsets, Func<string, int, Partition?> findPartition)
    {
        _log = log;
        _clock = clock;
        _groupOffsets = groupOffsets;
        _findPartition = findPartition;
    }

    /// <summary>Settings of the internal partition: compacted only, fsync on every append.</summary>
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

    /// <summary>Opens the internal partition, replays it and recovers interrupted transactions (see the class summary).</summary>
    internal static TransactionCoordinator Open(string directory, TimeProvider clock, long fileDeleteDelayMs, GroupOffsetStore groupOffsets, Func<string, int, Partition?> findPartition, IEnumerable<Partition> partitions, ICollection<string> report)
    {
        var log = Partition.Open(LogName, 0, directory, LogConfig, clock, fileDeleteDelayMs, report);
        try
        {
            var coordinator = new TransactionCoordinator(log, clock, groupOffsets, findPartition);
            coordinator.Replay(report);
            coordinator.Recover(partitions, report);
            return coordinator;
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Binds <paramref name="transactionalId"/> to a producer id and a new epoch: the first call creates
    /// the binding (epoch 0); each later call bumps the epoch, which fences the older instance, and
    /// aborts the transaction it left open. Durable when it returns.
    /// </summary>
    /// <param name="transactionalId">The transactional id (non-empty).</param>
    /// <param name="transactionTimeoutMs">How long a transaction may stay open, 1 to <see cref="MaxTransactionTimeoutMs"/>.</param>
    /// <param name="expectedProducerId">With <paramref name="expectedProducerEpoch"/>: the identity the caller holds (Kafka's KIP-360 re-initialisation), or -1.</param>
    /// <param name="expectedProducerEpoch">The epoch the caller holds, or -1. The current epoch is accepted, and so is the
    /// epoch a timed-out transaction was aborted from (until the next InitProducerId or a restart): that producer was not fenced by another one.</param>
    /// <exception cref="LogException"><see cref="LogErrorCode.InvalidRequest"/> (empty id), <see cref="LogErrorCode.InvalidTransactionTimeout"/>,
    /// <see cref="LogErrorCode.ProducerFenced"/> (the expected identity is no longer current), or a storage error.</exception>
    public ProducerIdAndEpoch InitProducerId(string transactionalId, int transactionTimeoutMs, long expectedProducerId = -1, short expectedProducerEpoch = -1)
    {
        ValidateTransactionalId(transactionalId);
        if (transactionTimeoutMs <= 0 || transactionTimeoutMs > MaxTransactionTimeoutMs)
        {
            throw new LogException(LogErrorCode.InvalidTransactionTimeout, $"The transaction timeout {transactionTimeoutMs} ms must be between 1 and {MaxTransactionTimeoutMs} ms.");
        }

        lock (_lock)
        {
            var now = NowMs();
            if (!_transactions.TryGetValue(transactionalId, out var metadata))
            {
                metadata = new TransactionMetadata(transactionalId, _nextProducerId++, 0, transactionTimeoutMs) { State = TransactionState.Empty, LastUpdateTimestampMs = now };
                WriteState(metadata);
                _transactions[transactionalId] = metadata;
                return new ProducerIdAndEpoch(metadata.ProducerId, metadata.ProducerEpoch);
            }

            if (expectedProducerId >= 0
                && (expectedProducerId != metadata.ProducerId || (expectedProducerEpoch != metadata.ProducerEpoch && expectedProducerEpoch != metadata.TimedOutProducerEpoch)))
            {
                throw new LogException(LogErrorCode.ProducerFenced, $"Transactional id '{transactionalId}' is now held by producer {metadata.ProducerId} epoch {metadata.ProducerEpoch}, not {expectedProducerId} epoch {expectedProducerEpoch}.");
            }

            if (metadata.State is TransactionState.PrepareCommit or TransactionState.PrepareAbort)
            {
                FinishLocked(metadata);
            }

            if (metadata.State == TransactionState.Ongoing)
            {
                // The new epoch writes the abort markers, so the fenced instance's epoch is refused at every partition it touched.
                BumpEpochLocked(metadata);
                EndLocked(metadata, commit: false);
            }
            else
            {
                BumpEpochLocked(metadata);
            }

            if (metadata.ProducerEpoch >= short.MaxValue - 1)
            {
                metadata.ProducerId = _nextProducerId++;
                metadata.ProducerEpoch = 0;
            }

            metadata.State = TransactionState.Empty;
            metadata.TimedOutProducerEpoch = -1;
            metadata.TimeoutMs = transactionTimeoutMs;
            metadata.Partitions.Clear();
            metadata.PendingOffsets.Clear();
            metadata.StartTimestampMs = -1;
            metadata.LastUpdateTimestampMs = NowMs();
            WriteState(metadata);
            return new ProducerIdAndEpoch(metadata.ProducerId, metadata.ProducerEpoch);
        }
    }

    /// <summary>
    /// Adds partitions to the producer's transaction, opening one if none is open, and allows the
    /// producer to append transactional batches to them. Durable when it returns.
    /// </summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.InvalidProducerIdMapping"/>, <see cref="LogErrorCode.ProducerFenced"/>,
    /// <see cref="LogErrorCode.UnknownTopicOrPartition"/> (nothing is added then), or a storage error.</exception>
    public void AddPartitions(string transactionalId, long producerId, short producerEpoch, IReadOnlyList<TransactionPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        lock (_lock)
        {
            var metadata = CheckProducerLocked(transactionalId, producerId, producerEpoch);
            var resolved = new Partition[partitions.Count];
            for (var i = 0; i < partitions.Count; i++)
            {
                resolved[i] = _findPartition(partitions[i].Topic, partitions[i].Partition)
                    ?? throw new LogException(LogErrorCode.UnknownTopicOrPartition, $"Cannot add {partitions[i].Topic}-{partitions[i].Partition} to transaction '{transactionalId}': the partition does not exist.");
            }

            var changed = BeginIfNeededLocked(metadata);
            foreach (var partition in partitions)
            {
                if (!metadata.Partitions.Contains(partition))
                {
                    metadata.Partitions.Add(partition);
                    changed = true;
                }
            }

            if (changed)
            {
                metadata.LastUpdateTimestampMs = NowMs();
                WriteState(metadata);
            }

            foreach (var partition in resolved)
            {
                partition.RegisterTransaction(metadata.ProducerId, metadata.ProducerEpoch);
            }
        }
    }

    /// <summary>
    /// Adds a consumer group to the producer's transaction (Kafka's AddOffsetsToTxn), opening one if
    /// none is open, so that <see cref="TxnOffsetCommit"/> may commit the group's offsets in it.
    /// </summary>
    /// <exception cref="LogException">As <see cref="AddPartitions"/>, or <see cref="LogErrorCode.InvalidGroupId"/>.</exception>
    public void AddOffsets(string transactionalId, long producerId, short producerEpoch, string groupId)
    {
        if (string.IsNullOrEmpty(groupId))
        {
            throw new LogException(LogErrorCode.InvalidGroupId, "The group id must not be empty.");
        }

        lock (_lock)
        {
            var metadata = CheckProducerLocked(transactionalId, producerId, producerEpoch);
            var changed = BeginIfNeededLocked(metadata);
            if (metadata.PendingOffsets.TryAdd(groupId, []) || changed)
            {
                metadata.LastUpdateTimestampMs = NowMs();
                WriteState(metadata);
            }
        }
    }

    /// <summary>
    /// Commits <paramref name="groupId"/>'s offsets inside the producer's open transaction: they become
    /// visible to <see cref="GroupOffsetStore"/> fetches when the transaction commits and are dropped
    /// if it aborts. The group must have been added with <see cref="AddOffsets"/>. Durable when it returns.
    /// </summary>
    /// <exception cref="LogException">As <see cref="AddPartitions"/>; <see cref="LogErrorCode.InvalidTxnState"/> when no transaction is
    /// open or the group was not added; <see cref="LogErrorCode.InvalidTopic"/>, <see cref="LogErrorCode.UnknownTopicOrPartition"/> or
    /// <see cref="LogErrorCode.OffsetMetadataTooLarge"/> for a bad entry (nothing is stored then).</exception>
    public void TxnOffsetCommit(string transactionalId, long producerId, short producerEpoch, string groupId, IReadOnlyList<OffsetCommit> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        foreach (var commit in offsets)
        {
            ValidateOffset(groupId, commit);
        }

        lock (_lock)
        {
            var metadata = CheckProducerLocked(transactionalId, producerId, producerEpoch);
            if (metadata.State != TransactionState.Ongoing || !metadata.PendingOffsets.TryGetValue(groupId ?? string.Empty, out var pending))
            {
                throw new LogException(LogErrorCode.InvalidTxnState, $"Transaction '{transactionalId}' has not added group '{groupId}' (AddOffsets) to an open transaction.");
            }

            foreach (var commit in offsets)
            {
                pending.RemoveAll(c => c.Topic == commit.Topic && c.Partition == commit.Partition);
                pending.Add(commit);
            }

            metadata.LastUpdateTimestampMs = NowMs();
            WriteState(metadata);
        }
    }

    /// <summary>
    /// Commits or aborts the producer's open transaction: COMMIT or ABORT markers go to every partition
    /// in it, and on commit its group offsets are stored. Repeating the call that completed the last
    /// transaction succeeds again (a retry). Durable when it returns.
    /// </summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.InvalidProducerIdMapping"/>, <see cref="LogErrorCode.ProducerFenced"/>,
    /// <see cref="LogErrorCode.InvalidTxnState"/> (no transaction open, or the opposite decision was taken), or a storage error.</exception>
    public void EndTransaction(string transactionalId, long producerId, short producerEpoch, bool commit)
    {
        lock (_lock)
        {
            var metadata = CheckProducerLocked(transactionalId, producerId, producerEpoch);
            switch (metadata.State)
            {
                case TransactionState.Ongoing:
                    EndLocked(metadata, commit);
                    return;
                case TransactionState.CompleteCommit when commit:
                case TransactionState.CompleteAbort when !commit:
                    return;
                case TransactionState.PrepareCommit when commit:
                case TransactionState.PrepareAbort when !commit:
                    FinishLocked(metadata);
                    return;
                default:
                    throw new LogException(LogErrorCode.InvalidTxnState, $"Cannot {(commit ? "commit" : "abort")} transaction '{transactionalId}': its state is {metadata.State}.");
            }
        }
    }

    /// <summary>
    /// Aborts every transaction open longer than its timeout, bumping its epoch so that its producer is
    /// fenced, and completes any left in a Prepare state by an earlier failure. The store's maintenance
    /// pass calls this.
    /// </summary>
    /// <returns>How many transactions were aborted for their timeout.</returns>
    public int AbortTimedOutTransactions()
    {
        lock (_lock)
        {
            var now = NowMs();
            var aborted = 0;
            foreach (var metadata in _transactions.Values)
            {
                if (metadata.State is TransactionState.PrepareCommit or TransactionState.PrepareAbort)
                {
                    FinishLocked(metadata);
                }
                else if (metadata.State == TransactionState.Ongoing && now - metadata.StartTimestampMs > metadata.TimeoutMs)
                {
                    metadata.TimedOutProducerEpoch = metadata.ProducerEpoch;
                    BumpEpochLocked(metadata);
                    EndLocked(metadata, commit: false);
                    aborted++;
                }
            }

            return aborted;
        }
    }

    /// <summary>Describes a transactional id's state, or returns false if it is unknown.</summary>
    public bool TryDescribe(string transactionalId, out TransactionDescription description)
    {
        lock (_lock)
        {
            if (transactionalId is not null && _transactions.TryGetValue(transactionalId, out var metadata))
            {
                description = metadata.Describe();
                return true;
            }
        }

        description = null!;
        return false;
    }

    /// <summary>The known transactional ids, sorted (ordinal).</summary>
    public IReadOnlyList<string> ListTransactionalIds()
    {
        lock (_lock)
        {
            var ids = _transactions.Keys.ToArray();
            Array.Sort(ids, StringComparer.Ordinal);
            return ids;
        }
    }

    /// <summary>
    /// Describes every transaction not yet completed (<see cref="TransactionState.Ongoing"/>,
    /// <see cref="TransactionState.PrepareCommit"/> or <see cref="TransactionState.PrepareAbort"/>), sorted by
    /// transactional id (ordinal): one snapshot taken under the coordinator's lock, so it waits at most for the
    /// operation in progress.
    /// </summary>
    public IReadOnlyList<TransactionDescription> DescribeOpenTransactions()
    {
        var open = new List<TransactionDescription>();
        lock (_lock)
        {
            foreach (var metadata in _transactions.Values)
            {
                if (metadata.State is TransactionState.Ongoing or TransactionState.PrepareCommit or TransactionState.PrepareAbort)
                {
                    open.Add(metadata.Describe());
                }
            }
        }

        open.Sort(static (a, b) => string.CompareOrdinal(a.TransactionalId, b.TransactionalId));
        return open;
    }

    /// <summary>Closes the internal partition.</summary>
    internal void Close() => _log.Dispose();

    private TransactionMetadata CheckProducerLocked(string transactionalId, long producerId, short producerEpoch)
    {
        ValidateTransactionalId(transactionalId);
        if (!_transactions.TryGetValue(transactionalId, out var metadata) || metadata.ProducerId != producerId)
        {
            throw new LogException(LogErrorCode.InvalidProducerIdMapping, $"Producer {producerId} does not hold transactional id '{transactionalId}'; call InitProducerId first.");
        }

        if (producerEpoch != metadata.ProducerEpoch)
        {
            throw new LogException(LogErrorCode.ProducerFenced, $"Producer {producerId} epoch {producerEpoch} of transactional id '{transactionalId}' was fenced: the current epoch is {metadata.ProducerEpoch}.");
        }

        if (metadata.State is TransactionState.PrepareCommit or TransactionState.PrepareAbort)
        {
            throw new LogException(LogErrorCode.ConcurrentTransactions, $"Transaction '{transactionalId}' is completing; retry.");
        }

        return metadata;
    }

    /// <summary>Opens a transaction unless one is open. Returns whether the state changed.</summary>
    private bool BeginIfNeededLocked(TransactionMetadata metadata)
    {
        if (metadata.State == TransactionState.Ongoing)
        {
            return false;
        }

        metadata.State = TransactionState.Ongoing;
        metadata.Partitions.Clear();
        metadata.PendingOffsets.Clear();
        metadata.StartTimestampMs = NowMs();
        return true;
    }

    private static void BumpEpochLocked(TransactionMetadata metadata)
    {
        if (metadata.ProducerEpoch < short.MaxValue)
        {
            metadata.ProducerEpoch++;
        }
    }

    /// <summary>Records the decision durably, then writes markers and offsets (<see cref="FinishLocked"/>).</summary>
    private void EndLocked(TransactionMetadata metadata, bool commit)
    {
        metadata.State = commit ? TransactionState.PrepareCommit : TransactionState.PrepareAbort;
        metadata.LastUpdateTimestampMs = NowMs();
        WriteState(metadata);
        FinishLocked(metadata);
    }

    /// <summary>Writes the markers of a decided transaction (and, on commit, its group offsets), then records it complete.</summary>
    private void FinishLocked(TransactionMetadata metadata)
    {
        var commit = metadata.State == TransactionState.PrepareCommit;
        foreach (var target in metadata.Partitions)
        {
            // A partition deleted since it was added has nothing left to mark.
            _findPartition(target.Topic, target.Partition)?.WriteTransactionMarker(metadata.ProducerId, metadata.ProducerEpoch, commit, CoordinatorEpoch);
        }

        if (commit)
        {
            foreach (var (group, offsets) in metadata.PendingOffsets)
            {
                if (offsets.Count > 0)
                {
                    _groupOffsets.Commit(group, offsets);
                }
            }
        }

        metadata.State = commit ? TransactionState.CompleteCommit : TransactionState.CompleteAbort;
        metadata.PendingOffsets.Clear();
        metadata.LastUpdateTimestampMs = NowMs();
        WriteState(metadata);
    }

    private void WriteState(TransactionMetadata metadata)
    {
        var builder = new RecordBatchBuilder();
        builder.Add(NowMs(), TransactionStateCodec.EncodeKey(metadata.TransactionalId), TransactionStateCodec.EncodeValue(metadata));
        _log.Append(builder.Build());
    }

    private long NowMs() => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private void Replay(ICollection<string> report)
    {
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
                            Apply(record, report);
                        }
                    }

                    offset = header.LastOffset + 1;
                }

                if (offset == start)
                {
                    break;
                }
            }
        }
        catch (LogException e)
        {
            report.Add($"{LogName}: transaction state could not be replayed past offset {offset}: {e.Message}");
        }
    }

    private void Apply(LogRecord record, ICollection<string> report)
    {
        if (record.Key is null || !TransactionStateCodec.TryReadKey(record.Key, out var transactionalId))
        {
            report.Add($"{LogName}: skipped the record at offset {record.Offset}: its key is not a transactional id.");
            return;
        }

        if (record.Value is null)
        {
            _transactions.Remove(transactionalId);
            return;
        }

        if (!TransactionStateCodec.TryReadValue(transactionalId, record.Value, out var metadata))
        {
            report.Add($"{LogName}: skipped the record at offset {record.Offset}: its value is not a version 0 transaction state.");
            return;
        }

        _transactions[transactionalId] = metadata;
        _nextProducerId = Math.Max(_nextProducerId, metadata.ProducerId + 1);
    }

    private void Recover(IEnumerable<Partition> partitions, ICollection<string> report)
    {
        var byProducerId = new Dictionary<long, TransactionMetadata>();
        foreach (var metadata in _transactions.Values)
        {
            if (metadata.State is TransactionState.PrepareCommit or TransactionState.PrepareAbort)
            {
                report.Add($"{LogName}: completed transaction '{metadata.TransactionalId}' left in {metadata.State}.");
                FinishLocked(metadata);
            }
            else if (metadata.State == TransactionState.Ongoing)
            {
                foreach (var target in metadata.Partitions)
                {
                    _findPartition(target.Topic, target.Partition)?.RegisterTransaction(metadata.ProducerId, metadata.ProducerEpoch);
                }
            }

            byProducerId[metadata.ProducerId] = metadata;
        }

        foreach (var partition in partitions)
        {
            var target = new TransactionPartition(partition.Topic, partition.Id);
            foreach (var (producerId, producerEpoch, firstOffset) in partition.OpenTransactions())
            {
                byProducerId.TryGetValue(producerId, out var metadata);
                if (metadata is { State: TransactionState.Ongoing } && metadata.Partitions.Contains(target))
                {
                    continue;
                }

                // The decision recorded for the transaction wins; without one (its marker and state were lost, or the
                // transactional id moved to a new producer id), the transaction cannot have committed: abort it.
                var commit = metadata is { State: TransactionState.CompleteCommit } && metadata.Partitions.Contains(target);
                var epoch = metadata is not null && metadata.ProducerEpoch > producerEpoch ? metadata.ProducerEpoch : producerEpoch;
                partition.WriteTransactionMarker(producerId, epoch, commit, CoordinatorEpoch);
                report.Add($"{partition.Topic}-{partition.Id}: wrote the missing {(commit ? "COMMIT" : "ABORT")} marker of producer {producerId}'s transaction from offset {firstOffset}.");
            }
        }
    }

    private static void ValidateTransactionalId(string transactionalId)
    {
        if (string.IsNullOrEmpty(transactionalId))
        {
            throw new LogException(LogErrorCode.InvalidRequest, "The transactional id must not be empty.");
        }

        if (Encoding.UTF8.GetByteCount(transactionalId) > short.MaxValue)
        {
            throw new LogException(LogErrorCode.InvalidRequest, $"The transactional id '{transactionalId[..20]}...' is longer than {short.MaxValue} UTF-8 bytes.");
        }
    }

    private static void ValidateOffset(string groupId, in OffsetCommit commit)
    {
        if (string.IsNullOrEmpty(groupId))
        {
            throw new LogException(LogErrorCode.InvalidGroupId, "The group id must not be empty.");
        }

        var problem = TopicNames.Check(commit.Topic);
        if (problem is not null)
        {
            throw new LogException(LogErrorCode.InvalidTopic, $"Cannot commit an offset for group '{groupId}' in a transaction: {problem}.");
        }

        if (commit.Partition < 0)
        {
            throw new LogException(LogErrorCode.UnknownTopicOrPartition, $"Cannot commit an offset for group '{groupId}' in {commit.Topic}-{commit.Partition}: partition numbers start at 0.");
        }

        if (commit.Metadata is { Length: > GroupOffsetStore.MaxMetadataLength })
        {
            throw new LogException(LogErrorCode.OffsetMetadataTooLarge, $"Cannot commit an offset for group '{groupId}' in {commit.Topic}-{commit.Partition}: its metadata has {commit.Metadata.Length} characters; at most {GroupOffsetStore.MaxMetadataLength} are allowed.");
        }
    }
}
