using System.Buffers.Binary;
using System.Text;
using Freshet.Log.Groups;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Tests.TestSupport;
using Freshet.Log.Transactions;

namespace Freshet.Log.Tests.Transactions;

/// <summary>
/// Kafka transactions on the embedded log: producer epochs and fencing, COMMIT/ABORT markers,
/// the last stable offset, read_committed reads, transactional group offsets, timeouts, and all of it
/// across restarts and a torn marker at the tail.
/// </summary>
public sealed class TransactionTests : IDisposable
{
    private const int TimeoutMs = 60_000;

    private readonly TempDirectory _directory = new();
    private readonly ManualClock _clock = new();
    private LogStore _store;

    public TransactionTests()
    {
        _store = TestLogs.Open(_directory.Path, _clock);
        _store.CreateTopic(TestLogs.Topic, 3);
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    private TransactionCoordinator Coordinator => _store.Transactions;

    private Partition Partition0 => _store.GetPartition(TestLogs.Topic, 0);

    [Fact]
    public void InitProducerId_SameTransactionalIdAgain_BumpsEpochFencesOldInstanceAndAbortsItsTransaction()
    {
        var old = Coordinator.InitProducerId("sink-1", TimeoutMs);
        Coordinator.AddPartitions("sink-1", old.ProducerId, old.ProducerEpoch, [new(TestLogs.Topic, 0)]);
        Partition0.Append(TransactionalBatch(old, sequence: 0, first: 0, count: 3));

        var current = Coordinator.InitProducerId("sink-1", TimeoutMs);

        Assert.Equal(old.ProducerId, current.ProducerId);
        Assert.Equal(old.ProducerEpoch + 1, current.ProducerEpoch);
        var append = Assert.Throws<LogException>(() => Partition0.Append(TransactionalBatch(old, sequence: 3, first: 3, count: 1)));
        Assert.Equal(LogErrorCode.InvalidProducerEpoch, append.ErrorCode);
        var add = Assert.Throws<LogException>(() => Coordinator.AddPartitions("sink-1", old.ProducerId, old.ProducerEpoch, [new(TestLogs.Topic, 1)]));
        Assert.Equal(LogErrorCode.ProducerFenced, add.ErrorCode);
        var end = Assert.Throws<LogException>(() => Coordinator.EndTransaction("sink-1", old.ProducerId, old.ProducerEpoch, commit: true));
        Assert.Equal(LogErrorCode.ProducerFenced, end.ErrorCode);

        // The transaction the old instance left open was aborted with the new epoch.
        var marker = LastBatch(Partition0);
        Assert.True(marker.Header.IsControl);
        Assert.Equal(current.ProducerEpoch, marker.Header.ProducerEpoch);
        Assert.Equal(ControlRecord.AbortType, MarkerType(marker.Bytes));
        Assert.Empty(Partition0.ReadCommittedRecords(0));
        Assert.Equal(Partition0.HighWatermark, Partition0.LastStableOffset);
        Assert.Equal([new AbortedTransaction(old.ProducerId, 0, 3, 4)], Partition0.GetAbortedTransactions(0, Partition0.LogEndOffset));
    }

    [Fact]
    public void InitProducerId_NewEpoch_ProducesAgainFromSequenceZero()
    {
        var old = Coordinator.InitProducerId("sink-1", TimeoutMs);
        Coordinator.AddPartitions("sink-1", old.ProducerId, old.ProducerEpoch, [new(TestLogs.Topic, 0)]);
        Partition0.Append(TransactionalBatch(old, sequence: 0, first: 0, count: 2));
        var current = Coordinator.InitProducerId("sink-1", TimeoutMs);

        Coordinator.AddPartitions("sink-1", current.ProducerId, current.ProducerEpoch, [new(TestLogs.Topic, 0)]);
        Partition0.Append(TransactionalBatch(current, sequence: 0, first: 10, count: 2));
        Coordinator.EndTransaction("sink-1", current.ProducerId, current.ProducerEpoch, commit: true);

        TestLogs.AssertNumbered(Partition0.ReadCommittedRecords(0).ToList(), first: 10, firstOffset: 3, count: 2);
    }

    [Fact]
    public void EndTransaction_Abort_DataInvisibleToReadCommittedButReturnedByPlainRead()
    {
        Partition0.Append(TestLogs.Batch(0, 2, _clock.NowMs));
        var producer = Begin("sink-1", 0);
        Partition0.Append(TransactionalBatch(producer, sequence: 0, first: 100, count: 3));
        Partition0.Append(TestLogs.Batch(2, 1, _clock.NowMs));

        Coordinator.EndTransaction("sink-1", producer.ProducerId, producer.ProducerEpoch, commit: false);

        Assert.Equal(7, Partition0.LogEndOffset);
        var committed = Partition0.ReadCommittedRecords(0).ToList();
        Assert.Equal(["key-0", "key-1", "key-2"], committed.Select(TestLogs.KeyOf));
        Assert.Equal([0L, 1L, 5L], committed.Select(r => r.Offset));
        var all = RecordBatchReader.ReadRecords(Partition0.Read(0, 1 << 20).Records).Select(TestLogs.KeyOf).ToList();
        Assert.Equal(["key-0", "key-1", "key-100", "key-101", "key-102", "key-2"], all);
        Assert.Equal([new AbortedTransaction(producer.ProducerId, 2, 6, 7)], Partition0.GetAbortedTransactions(0, 7));
        Assert.Empty(Partition0.GetAbortedTransactions(0, 2));
        Assert.Empty(Partition0.GetAbortedTransactions(7, 8));
    }

    [Fact]
    public void LastStableOffset_InterleavedTransactionsOfTwoProducers_BoundedByEarliestOpenOne()
    {
        Partition0.Append(TestLogs.Batch(0, 2, _clock.NowMs));
        var a = Begin("a", 0);
        var b = Begin("b", 0);
        Assert.Equal(2, Partition0.LastStableOffset);

        Partition0.Append(TransactionalBatch(a, sequence: 0, first: 10, count: 1));   // offset 2
        Partition0.Append(TransactionalBatch(b, sequence: 0, first: 20, count: 1));   // offset 3
        Partition0.Append(TransactionalBatch(a, sequence: 1, first: 11, count: 1));   // offset 4
        Partition0.Append(TestLogs.Batch(2, 1, _clock.NowMs));                        // offset 5
        Assert.Equal(2, Partition0.LastStableOffset);
        Assert.Equal(6, Partition0.HighWatermark);

        Coordinator.EndTransaction("b", b.ProducerId, b.ProducerEpoch, commit: true); // marker at 6
        Assert.Equal(2, Partition0.LastStableOffset);
        var bounded = Partition0.ReadCommitted(0, 1 << 20, out var lastStable);
        Assert.Equal(2, lastStable);
        Assert.Equal([0L, 1L], RecordBatchReader.ReadRecords(bounded.Records).Select(r => r.Offset));
        var buffer = new byte[1 << 16];
        Assert.Equal(0, Partition0.ReadCommittedInto(2, buffer, out var firstBatchBytes, out _));
        Assert.Equal(0, firstBatchBytes);

        Partition0.Append(TransactionalBatch(a, sequence: 2, first: 12, count: 1));   // offset 7
        Coordinator.EndTransaction("a", a.ProducerId, a.ProducerEpoch, commit: false); // marker at 8
        Assert.Equal(9, Partition0.LastStableOffset);
        Assert.Equal(Partition0.HighWatermark, Partition0.LastStableOffset);

        var committed = Partition0.ReadCommittedRecords(0).Select(TestLogs.KeyOf).ToList();
        Assert.Equal(["key-0", "key-1", "key-20", "key-2"], committed);
        var copied = Partition0.ReadCommittedInto(2, buffer, out firstBatchBytes, out lastStable);
        Assert.Equal(9, lastStable);
        Assert.True(firstBatchBytes > 0);
        Assert.Equal(7, RecordBatchReader.ReadBatches(buffer.AsMemory(0, copied)).Count());
    }

    [Fact]
    public void EndTransaction_Commit_WritesCommitMarkerToEveryPartitionInTheTransaction()
    {
        var producer = Coordinator.InitProducerId("sink-1", TimeoutMs);
        Coordinator.AddPartitions("sink-1", producer.ProducerId, producer.ProducerEpoch, [new(TestLogs.Topic, 0), new(TestLogs.Topic, 2)]);
        _store.GetPartition(TestLogs.Topic, 0).Append(TransactionalBatch(producer, sequence: 0, first: 0, count: 2));

        Coordinator.EndTransaction("sink-1", producer.ProducerId, producer.ProducerEpoch, commit: true);

        foreach (var id in new[] { 0, 2 })
        {
            var (header, bytes) = LastBatch(_store.GetPartition(TestLogs.Topic, id));
            Assert.True(header.IsControl && header.IsTransactional);
            Assert.Equal((producer.ProducerId, producer.ProducerEpoch, -1), (header.ProducerId, header.ProducerEpoch, header.BaseSequence));
            var record = Assert.Single(RecordBatchReader.DecodeBatch(bytes.Span));
            Assert.Equal(new byte[] { 0, 0, 0, 1 }, record.Key);           // version 0, COMMIT
            Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0 }, record.Value);    // version 0, coordinator epoch 0
        }

        Assert.Equal(0, _store.GetPartition(TestLogs.Topic, 1).LogEndOffset);
        Assert.Equal(3, _store.GetPartition(TestLogs.Topic, 0).LogEndOffset);
        Assert.True(Coordinator.TryDescribe("sink-1", out var description));
        Assert.Equal(TransactionState.CompleteCommit, description.State);

        // A retried commit succeeds and writes nothing more; an abort now is refused.
        Coordinator.EndTransaction("sink-1", producer.ProducerId, producer.ProducerEpoch, commit: true);
        Assert.Equal(3, _store.GetPartition(TestLogs.Topic, 0).LogEndOffset);
        var abort = Assert.Throws<LogException>(() => Coordinator.EndTransaction("sink-1", producer.ProducerId, producer.ProducerEpoch, commit: false));
        Assert.Equal(LogErrorCode.InvalidTxnState, abort.ErrorCode);
    }

    [Fact]
    public void Append_TransactionalBatchToPartitionNotAdded_InvalidTxnStateAndNothingStored()
    {
        var producer = Begin("sink-1", 0);

        var error = Assert.Throws<LogException>(() => _store.GetPartition(TestLogs.Topic, 1).Append(TransactionalBatch(producer, 0, 0, 1)));

        Assert.Equal(LogErrorCode.InvalidTxnState, error.ErrorCode);
        Assert.Equal(0, _store.GetPartition(TestLogs.Topic, 1).LogEndOffset);
    }

    [Fact]
    public void Coordinator_BadRequests_ClearErrors()
    {
        Assert.Equal(LogErrorCode.InvalidTransactionTimeout, Assert.Throws<LogException>(() => Coordinator.InitProducerId("x", 0)).ErrorCode);
        Assert.Equal(LogErrorCode.InvalidTransactionTimeout, Assert.Throws<LogException>(() => Coordinator.InitProducerId("x", TransactionCoordinator.MaxTransactionTimeoutMs + 1)).ErrorCode);
        Assert.Equal(LogErrorCode.InvalidRequest, Assert.Throws<LogException>(() => Coordinator.InitProducerId("", TimeoutMs)).ErrorCode);
        Assert.Equal(LogErrorCode.InvalidProducerIdMapping, Assert.Throws<LogException>(() => Coordinator.EndTransaction("unknown", 5, 0, true)).ErrorCode);
        var producer = Coordinator.InitProducerId("x", TimeoutMs);
        Assert.Equal(LogErrorCode.InvalidProducerIdMapping, Assert.Throws<LogException>(() => Coordinator.AddPartitions("x", producer.ProducerId + 1, 0, [new(TestLogs.Topic, 0)])).ErrorCode);
        Assert.Equal(LogErrorCode.UnknownTopicOrPartition, Assert.Throws<LogException>(() => Coordinator.AddPartitions("x", producer.ProducerId, 0, [new(TestLogs.Topic, 0), new("missing", 0)])).ErrorCode);
        Assert.True(Coordinator.TryDescribe("x", out var description));
        Assert.Equal(TransactionState.Empty, description.State);
        Assert.Empty(description.Partitions);
        Assert.Equal(LogErrorCode.InvalidTxnState, Assert.Throws<LogException>(() => Coordinator.EndTransaction("x", producer.ProducerId, 0, true)).ErrorCode);
        Assert.Equal(LogErrorCode.InvalidTxnState, Assert.Throws<LogException>(() => Coordinator.TxnOffsetCommit("x", producer.ProducerId, 0, "g", [new OffsetCommit(TestLogs.Topic, 0, 1)])).ErrorCode);
    }

    [Fact]
    public void TxnOffsetCommit_VisibleOnlyAfterCommit_DroppedOnAbort()
    {
        var producer = Coordinator.InitProducerId("sink-1", TimeoutMs);
        Coordinator.AddOffsets("sink-1", producer.ProducerId, producer.ProducerEpoch, "group-a");
        Coordinator.TxnOffsetCommit("sink-1", producer.ProducerId, producer.ProducerEpoch, "group-a", [new OffsetCommit("input", 0, 42, "m")]);
        Assert.False(_store.GroupOffsets.TryFetch("group-a", "input", 0, out _));

        Coordinator.EndTransaction("sink-1", producer.ProducerId, producer.ProducerEpoch, commit: true);

        Assert.True(_store.GroupOffsets.TryFetch("group-a", "input", 0, out var committed));
        Assert.Equal((42L, "m"), (committed.Offset, committed.Metadata));

        Coordinator.AddOffsets("sink-1", producer.ProducerId, producer.ProducerEpoch, "group-a");
        Coordinator.TxnOffsetCommit("sink-1", producer.ProducerId, producer.ProducerEpoch, "group-a", [new OffsetCommit("input", 0, 99)]);
        Coordinator.EndTransaction("sink-1", producer.ProducerId, producer.ProducerEpoch, commit: false);

        Assert.True(_store.GroupOffsets.TryFetch("group-a", "input", 0, out committed));
        Assert.Equal(42, committed.Offset);
    }

    [Fact]
    public void Maintenance_TransactionOpenPastItsTimeout_AbortedAndProducerFenced()
    {
        var producer = Coordinator.InitProducerId("sink-1", TimeoutMs);
        Coordinator.AddPartitions("sink-1", producer.ProducerId, producer.ProducerEpoch, [new(TestLogs.Topic, 0)]);
        Partition0.Append(TransactionalBatch(producer, 0, 0, 2));

        _clock.Advance(TimeoutMs);
        _store.RunMaintenance();
        Assert.Equal(0, Partition0.LastStableOffset);

        _clock.Advance(1);
        _store.RunMaintenance();

        Assert.Equal(3, Partition0.LastStableOffset);
        Assert.Empty(Partition0.ReadCommittedRecords(0));
        Assert.True(Coordinator.TryDescribe("sink-1", out var description));
        Assert.Equal((TransactionState.CompleteAbort, (short)(producer.ProducerEpoch + 1)), (description.State, description.ProducerEpoch));
        Assert.Equal(LogErrorCode.InvalidProducerEpoch, Assert.Throws<LogException>(() => Partition0.Append(TransactionalBatch(producer, 2, 2, 1))).ErrorCode);
        Assert.Equal(LogErrorCode.ProducerFenced, Assert.Throws<LogException>(() => Coordinator.EndTransaction("sink-1", producer.ProducerId, producer.ProducerEpoch, true)).ErrorCode);

        // The timed-out producer was not fenced by another instance: it may re-initialise with its old epoch, once.
        var recovered = Coordinator.InitProducerId("sink-1", TimeoutMs, producer.ProducerId, producer.ProducerEpoch);
        Assert.Equal((producer.ProducerId, (short)(producer.ProducerEpoch + 2)), (recovered.ProducerId, recovered.ProducerEpoch));
        Assert.Equal(LogErrorCode.ProducerFenced, Assert.Throws<LogException>(() => Coordinator.InitProducerId("sink-1", TimeoutMs, producer.ProducerId, producer.ProducerEpoch)).ErrorCode);
    }

    [Fact]
    public void Reopen_OngoingAndCommittedTransactions_OngoingStaysOpenThenTimesOutCommittedStays()
    {
        var committedProducer = Begin("committed", 0);
        Partition0.Append(TransactionalBatch(committedProducer, 0, 0, 2));              // 0-1
        Coordinator.EndTransaction("committed", committedProducer.ProducerId, committedProducer.ProducerEpoch, commit: true); // 2
        var open = Begin("open", 0);
        Partition0.Append(TransactionalBatch(open, 0, 10, 2));                          // 3-4
        Partition0.Append(TestLogs.Batch(20, 1, _clock.NowMs));                         // 5

        Reopen();

        Assert.Equal(3, Partition0.LastStableOffset);
        Assert.Equal(["key-0", "key-1"], Partition0.ReadCommittedRecords(0).Select(TestLogs.KeyOf));
        Assert.True(Coordinator.TryDescribe("open", out var description));
        Assert.Equal(TransactionState.Ongoing, description.State);
        Partition0.Append(TransactionalBatch(open, 2, 12, 1));                          // 6: still registered after the restart

        _clock.Advance(TimeoutMs + 1);
        _store.RunMaintenance();

        Assert.Equal(8, Partition0.LastStableOffset);
        Assert.Equal(["key-0", "key-1", "key-20"], Partition0.ReadCommittedRecords(0).Select(TestLogs.KeyOf));

        // The aborted-transaction index survives a restart, and is rebuilt from the log when its file is lost.
        Reopen();
        Assert.Equal([new AbortedTransaction(open.ProducerId, 3, 7, 8)], Partition0.GetAbortedTransactions(0, 8));
        var directory = Partition0.Directory;
        _store.Dispose();
        File.Delete(Path.Combine(directory, AbortedTransactionIndex.FileName));
        _store = TestLogs.Open(_directory.Path, _clock);
        Assert.Equal([new AbortedTransaction(open.ProducerId, 3, 7, 8)], Partition0.GetAbortedTransactions(0, 8));
        Assert.Equal(["key-0", "key-1", "key-20"], Partition0.ReadCommittedRecords(0).Select(TestLogs.KeyOf));
        Assert.True(Coordinator.TryDescribe("committed", out description));
        Assert.Equal(TransactionState.CompleteCommit, description.State);
    }

    [Fact]
    public void Reopen_TornCommitMarkerAtTail_RecoveryTruncatesAndWritesTheMarkerAgain()
    {
        var producer = Begin("sink-1", 0);
        Partition0.Append(TransactionalBatch(producer, 0, 0, 3));
        Coordinator.EndTransaction("sink-1", producer.ProducerId, producer.ProducerEpoch, commit: true);
        var segment = TestLogs.SegmentLogs(Partition0.Directory)[^1];
        _store.Dispose();
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(file.Length - 5);
        }

        _store = TestLogs.Open(_directory.Path, _clock);

        Assert.Contains(_store.RecoveryReport, line => line.Contains("truncated", StringComparison.Ordinal));
        Assert.Contains(_store.RecoveryReport, line => line.Contains("missing COMMIT marker", StringComparison.Ordinal));
        Assert.Equal(4, Partition0.LogEndOffset);
        Assert.Equal(4, Partition0.LastStableOffset);
        Assert.Equal(ControlRecord.CommitType, MarkerType(LastBatch(Partition0).Bytes));
        TestLogs.AssertNumbered(Partition0.ReadCommittedRecords(0).ToList(), first: 0, firstOffset: 0, count: 3);
    }

    [Fact]
    public void Reopen_TornDataOfOpenTransaction_TransactionStillAbortsCleanly()
    {
        var producer = Begin("sink-1", 0);
        Partition0.Append(TestLogs.Batch(0, 1, _clock.NowMs));
        Partition0.Append(TransactionalBatch(producer, 0, 10, 2));
        var segment = TestLogs.SegmentLogs(Partition0.Directory)[^1];
        _store.Dispose();
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(file.Length - 3);
        }

        _store = TestLogs.Open(_directory.Path, _clock);
        Assert.Equal(1, Partition0.LastStableOffset);

        Coordinator.EndTransaction("sink-1", producer.ProducerId, producer.ProducerEpoch, commit: false);

        Assert.Equal(2, Partition0.LastStableOffset);
        Assert.Equal(["key-0"], Partition0.ReadCommittedRecords(0).Select(TestLogs.KeyOf));
    }

    [Fact]
    public void Compact_AbortedAndOpenTransactions_AbortedRecordsRemovedOpenOnesNeverSupersedeCommitted()
    {
        _store.CreateTopic("compacted", 1, new Topics.TopicConfig { CleanupPolicy = Topics.CleanupPolicy.Compact });
        var partition = _store.GetPartition("compacted", 0);
        partition.Append(Batch(null, 0, ("k", "committed")));                              // 0
        var aborted = Coordinator.InitProducerId("aborted", TimeoutMs);
        Coordinator.AddPartitions("aborted", aborted.ProducerId, aborted.ProducerEpoch, [new("compacted", 0)]);
        partition.Append(Batch(aborted, 0, ("k", "aborted")));                              // 1
        Coordinator.EndTransaction("aborted", aborted.ProducerId, aborted.ProducerEpoch, commit: false); // 2
        partition.Roll();
        var open = Coordinator.InitProducerId("open", TimeoutMs);
        Coordinator.AddPartitions("open", open.ProducerId, open.ProducerEpoch, [new("compacted", 0)]);
        partition.Append(Batch(open, 0, ("k", "open")));                                    // 3
        partition.Append(Batch(null, 0, ("other", "x")));                                   // 4
        partition.Roll();
        partition.Append(Batch(null, 0, ("third", "y")));                                   // 5

        partition.Compact();

        Assert.Equal([(0L, "committed"), (3L, "open"), (4L, "x"), (5L, "y")], Stored(partition));
        Assert.Equal([(0L, "committed")], partition.ReadCommittedRecords(0).Select(r => (r.Offset, Encoding.UTF8.GetString(r.Value!))));

        Coordinator.EndTransaction("open", open.ProducerId, open.ProducerEpoch, commit: true); // 6
        partition.Roll();
        partition.Compact();

        Assert.Equal([(3L, "open"), (4L, "x"), (5L, "y")], Stored(partition));
        Assert.Equal([(3L, "open"), (4L, "x"), (5L, "y")], partition.ReadCommittedRecords(0).Select(r => (r.Offset, Encoding.UTF8.GetString(r.Value!))));

        static List<(long, string)> Stored(Partition partition)
        {
            var stored = new List<(long, string)>();
            for (var offset = partition.LogStartOffset; offset < partition.LogEndOffset;)
            {
                foreach (var (header, bytes) in RecordBatchReader.ReadBatches(partition.Read(offset, 1 << 20).Records))
                {
                    if (!header.IsControl)
                    {
                        stored.AddRange(RecordBatchReader.DecodeBatch(bytes.Span).Select(r => (r.Offset, Encoding.UTF8.GetString(r.Value!))));
                    }

                    offset = header.LastOffset + 1;
                }
            }

            return stored;
        }
    }

    private byte[] Batch(ProducerIdAndEpoch? producer, int sequence, (string Key, string Value) record)
    {
        var builder = new RecordBatchBuilder();
        if (producer is { } transactional)
        {
            builder.ProducerId = transactional.ProducerId;
            builder.ProducerEpoch = transactional.ProducerEpoch;
            builder.BaseSequence = sequence;
            builder.IsTransactional = true;
        }

        builder.Add(_clock.NowMs, Encoding.UTF8.GetBytes(record.Key), Encoding.UTF8.GetBytes(record.Value));
        return builder.Build();
    }

    private ProducerIdAndEpoch Begin(string transactionalId, int partition)
    {
        var producer = Coordinator.InitProducerId(transactionalId, TimeoutMs);
        Coordinator.AddPartitions(transactionalId, producer.ProducerId, producer.ProducerEpoch, [new(TestLogs.Topic, partition)]);
        return producer;
    }

    private void Reopen()
    {
        _store.Dispose();
        _store = TestLogs.Open(_directory.Path, _clock);
    }

    private byte[] TransactionalBatch(ProducerIdAndEpoch producer, int sequence, long first, int count)
    {
        var builder = new RecordBatchBuilder
        {
            ProducerId = producer.ProducerId,
            ProducerEpoch = producer.ProducerEpoch,
            BaseSequence = sequence,
            IsTransactional = true,
        };
        for (var i = 0; i < count; i++)
        {
            builder.Add(TestLogs.Record(first + i, _clock.NowMs));
        }

        return builder.Build();
    }

    private static (RecordBatchHeader Header, ReadOnlyMemory<byte> Bytes) LastBatch(Partition partition) =>
        RecordBatchReader.ReadBatches(partition.Read(partition.LogStartOffset, 1 << 20).Records).Last();

    private static short MarkerType(ReadOnlyMemory<byte> batch)
    {
        var record = Assert.Single(RecordBatchReader.DecodeBatch(batch.Span));
        Assert.Equal(0, BinaryPrimitives.ReadInt16BigEndian(record.Key));
        return BinaryPrimitives.ReadInt16BigEndian(record.Key.AsSpan(2));
    }
}
