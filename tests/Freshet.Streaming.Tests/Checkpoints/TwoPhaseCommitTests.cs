using System.Buffers.Binary;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Sinks;

namespace Freshet.Streaming.Tests.Checkpoints;

public sealed class TwoPhaseCommitTests
{
    [Fact]
    public void CrashAfterCompleteCheckpointBeforeItsNotice_RestoreCommitsItsTransactionOnce()
    {
        var system = new TransactionalTestSystem();
        var first = new SubtaskDriver(system);
        first.Write("a", "b");
        first.Barrier(1);
        first.Write("c");
        first.CheckpointComplete(1);
        Assert.Equal(new[] { "a", "b" }, system.Published);

        first.Barrier(2);
        var snapshot2 = first.Snapshots[2];
        first.Write("d");

        // Crash: checkpoint 2 completed (its manifest is durable) but the sink never heard of it. The restore from
        // checkpoint 2 commits its transaction; the source replays what came after the barrier.
        var restored = SubtaskDriver.Restore(system, snapshot2);
        restored.Write("d");
        restored.Barrier(3);
        restored.CheckpointComplete(3);

        Assert.Equal(new[] { "a", "b", "c", "d" }, system.Published);
    }

    [Fact]
    public void CrashWithPreCommittedButIncompleteCheckpoint_RestoreFromPreviousAbortsItAndCommitsEarlierOnce()
    {
        var system = new TransactionalTestSystem();
        var first = new SubtaskDriver(system);
        first.Write("a");
        first.Barrier(1);
        var snapshot1 = first.Snapshots[1];
        first.CheckpointComplete(1);
        first.Write("b", "c");
        first.Barrier(2);
        first.Write("d");

        // Checkpoint 2 never completed: restore from 1. Its committable is committed again (idempotent), the
        // pre-committed transaction of checkpoint 2 is aborted, and the source replays b, c, d.
        var restored = SubtaskDriver.Restore(system, snapshot1);
        restored.Write("b", "c", "d");
        restored.Barrier(2);
        restored.CheckpointComplete(2);

        Assert.Equal(new[] { "a", "b", "c", "d" }, system.Published);
    }

    [Fact]
    public void CheckpointComplete_CommitsEveryEarlierPendingCheckpoint()
    {
        var system = new TransactionalTestSystem();
        var driver = new SubtaskDriver(system);
        driver.Write("a");
        driver.Barrier(1);
        driver.Write("b");
        driver.Barrier(2);

        // Checkpoint 1 was aborted (no notice); checkpoint 2's completion covers both.
        driver.CheckpointComplete(2);

        Assert.Equal(new[] { "a", "b" }, system.Published);
        Assert.Equal(0, driver.Pending.Count);
    }

    [Fact]
    public void PendingCommittables_RoundTripAndMalformedInputRejected()
    {
        var pending = new PendingCommittables();
        pending.Add(3, [1, 2, 3]);
        pending.Add(5, []);
        var bytes = pending.Serialize();
        var decoded = PendingCommittables.Deserialize(bytes);
        Assert.Equal(2, decoded.Count);
        Assert.Equal(new byte[][] { [1, 2, 3] }, decoded.TakeUpTo(4));
        Assert.Equal(new byte[][] { [] }, decoded.TakeUpTo(5));

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => PendingCommittables.Deserialize(bytes.AsSpan(0, length)));
        }

        Assert.Throws<InvalidDataException>(() => PendingCommittables.Deserialize([.. bytes, 0]));
        Assert.Throws<InvalidOperationException>(() => pending.Add(3, [9]));
    }

    /// <summary>
    /// Plays the runtime's part for one sink subtask: pre-commit at each barrier and store the pending committables in
    /// the snapshot, commit on completion, recover from a restored snapshot.
    /// </summary>
    private sealed class SubtaskDriver
    {
        private readonly TransactionalTestWriter _writer;

        public SubtaskDriver(TransactionalTestSystem system)
        {
            _writer = new TransactionalTestWriter(system);
        }

        public PendingCommittables Pending { get; private set; } = new();

        public Dictionary<long, byte[]> Snapshots { get; } = new();

        public static SubtaskDriver Restore(TransactionalTestSystem system, byte[] snapshot)
        {
            var driver = new SubtaskDriver(system) { Pending = PendingCommittables.Deserialize(snapshot) };
            driver._writer.Recover([.. driver.Pending.TakeUpTo(long.MaxValue).Select(c => new RestoredCommittable(0, c))]);
            return driver;
        }

        public void Write(params string[] records) => _writer.Write(records, new long[records.Length]);

        public void Barrier(long checkpointId)
        {
            Pending.Add(checkpointId, _writer.PreCommit(checkpointId));
            Snapshots[checkpointId] = Pending.Serialize();
        }

        public void CheckpointComplete(long checkpointId) => _writer.Commit(Pending.TakeUpTo(checkpointId));
    }

    /// <summary>An external system with transactions: records become visible in <see cref="Published"/> only on commit.</summary>
    private sealed class TransactionalTestSystem
    {
        private readonly Dictionary<long, List<string>> _open = new();
        private readonly HashSet<long> _committed = new();
        private long _nextTransaction;

        public List<string> Published { get; } = new();

        public long Begin()
        {
            var id = ++_nextTransaction;
            _open[id] = new List<string>();
            return id;
        }

        public void Append(long transaction, string record) => _open[transaction].Add(record);

        /// <summary>Idempotent: a committed or aborted transaction is not committed again.</summary>
        public void Commit(long transaction)
        {
            if (_committed.Add(transaction) && _open.Remove(transaction, out var records))
            {
                Published.AddRange(records);
            }
        }

        public void AbortAllExcept(IReadOnlySet<long> keep)
        {
            foreach (var id in _open.Keys.Where(id => !keep.Contains(id)).ToArray())
            {
                _open.Remove(id);
            }
        }
    }

    /// <summary>A sink writer that only publishes a checkpoint's records when that checkpoint completes.</summary>
    private sealed class TransactionalTestWriter : TwoPhaseCommitSinkWriter<string>
    {
        private readonly TransactionalTestSystem _system;
        private long _transaction;

        public TransactionalTestWriter(TransactionalTestSystem system)
        {
            _system = system;
        }

        public override void Write(ReadOnlySpan<string> values, ReadOnlySpan<long> timestamps)
        {
            if (_transaction == 0)
            {
                _transaction = _system.Begin();
            }

            foreach (var value in values)
            {
                _system.Append(_transaction, value);
            }
        }

        public override byte[] PreCommit(long checkpointId)
        {
            var transaction = _transaction == 0 ? _system.Begin() : _transaction;
            _transaction = 0;
            var committable = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(committable, transaction);
            return committable;
        }

        public override void Commit(IReadOnlyList<byte[]> committables)
        {
            foreach (var committable in committables)
            {
                _system.Commit(BinaryPrimitives.ReadInt64BigEndian(committable));
            }
        }

        public override void Recover(IReadOnlyList<RestoredCommittable> committables)
        {
            Commit([.. committables.Select(c => c.Committable)]);
            _system.AbortAllExcept(new HashSet<long>());
        }
    }
}
