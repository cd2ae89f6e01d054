using System.Text;
using Freshet.Log;
using Freshet.Streaming.Connectors.LogTopic;

namespace Freshet.Streaming.Tests.Connectors;

/// <summary>The two-phase commit of the exactly-once log sink against a real store on disk, including a restart.</summary>
public sealed class TransactionalLogWriterTests : IDisposable
{
    private const string Topic = "out";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-eos-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Records_become_visible_to_read_committed_only_when_their_checkpoint_commits()
    {
        using var store = Open();
        using var writer = new TransactionalLogWriter(store, Topic, "job-sink", subtask: 0, parallelism: 2, transactionTimeoutMs: 60_000);
        writer.Recover([]);
        Write(writer, "a1", "a2");
        var first = writer.PreCommit(checkpointId: 1)!.Value;

        // The next checkpoint's records go to another transaction while the first waits for its commit.
        Write(writer, "b1");
        Assert.Empty(Committed(store));
        Assert.Equal(1, writer.PendingCommits);

        writer.Commit(first);
        Assert.Equal(["a1", "a2"], Committed(store));

        var second = writer.PreCommit(checkpointId: 2)!.Value;
        Assert.NotEqual(first.TransactionalId, second.TransactionalId);
        writer.Commit(second);
        Assert.Equal(["a1", "a2", "b1"], Committed(store));
        Assert.Equal(0, writer.PendingCommits);

        // Committing again (a repeated notification) changes nothing; an empty checkpoint has nothing to commit.
        writer.Commit(second);
        Assert.Null(writer.PreCommit(checkpointId: 3));
        Assert.Equal(["a1", "a2", "b1"], Committed(store));
    }

    [Fact]
    public void After_a_crash_the_restored_transaction_is_committed_and_the_lingering_one_aborted()
    {
        LogTransactionCommittable restored;
        using (var store = Open())
        {
            // The first attempt pre-commits checkpoint 1, writes more, and dies before the checkpoint completes
            // (no commit, no abort: the process is gone).
            var writer = new TransactionalLogWriter(store, Topic, "job-sink", subtask: 0, parallelism: 2, transactionTimeoutMs: 60_000);
            writer.Recover([]);
            Write(writer, "kept1", "kept2");
            restored = writer.PreCommit(1)!.Value;
            Write(writer, "lost1");
            writer.FlushBatches();
            Assert.Empty(Committed(store));
        }

        using (var store = Open())
        {
            // The second attempt restores checkpoint 1: its transaction commits; the lingering one is aborted so
            // that it no longer holds back the last stable offset, and the job's new output commits after it.
            var writer = new TransactionalLogWriter(store, Topic, "job-sink", subtask: 0, parallelism: 2, transactionTimeoutMs: 60_000);
            writer.Recover([restored]);
            Assert.Equal(["kept1", "kept2"], Committed(store));
            Assert.Equal(store.GetPartition(Topic, 0).LogEndOffset, store.GetPartition(Topic, 0).LastStableOffset);

            Write(writer, "new1");
            writer.Commit(writer.PreCommit(2)!.Value);
            Assert.Equal(["kept1", "kept2", "new1"], Committed(store));
            writer.Dispose();
        }
    }

    [Fact]
    public void A_transaction_aborted_by_its_timeout_cannot_be_committed_and_says_why()
    {
        var clock = new TestSupport.ManualClock(1_000_000);
        using var store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false, Clock = clock });
        store.CreateTopic(Topic, 1);
        using var writer = new TransactionalLogWriter(store, Topic, "job-sink", subtask: 0, parallelism: 2, transactionTimeoutMs: 1_000);
        writer.Recover([]);
        Write(writer, "x");
        var committable = writer.PreCommit(1)!.Value;
        clock.NowMs += 5_000;
        store.RunMaintenance();
        var error = Assert.Throws<InvalidOperationException>(() => writer.Commit(committable));
        Assert.Contains("checkpoint 1", error.Message);
        Assert.Contains("transaction timeout", error.Message);
        Assert.Empty(Committed(store));
    }

    [Fact]
    public void Subtasks_use_distinct_transactional_ids_and_commit_independently()
    {
        using var store = Open();
        using var zero = new TransactionalLogWriter(store, Topic, "job-sink", subtask: 0, parallelism: 2, transactionTimeoutMs: 60_000);
        using var one = new TransactionalLogWriter(store, Topic, "job-sink", subtask: 1, parallelism: 2, transactionTimeoutMs: 60_000);
        zero.Recover([]);
        one.Recover([]);
        Write(zero, "z");
        Write(one, "o");
        var fromZero = zero.PreCommit(1)!.Value;
        var fromOne = one.PreCommit(1)!.Value;
        Assert.NotEqual(fromZero.TransactionalId, fromOne.TransactionalId);
        one.Commit(fromOne);

        // Subtask 0's transaction, still open, began earlier in the same partition: the last stable offset holds
        // read_committed readers before it, as in Kafka, until it ends.
        Assert.Empty(Committed(store));
        zero.Commit(fromZero);
        Assert.Equal(["o", "z"], Committed(store).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void After_a_crash_and_a_scale_down_the_removed_subtasks_lingering_transactions_are_aborted()
    {
        LogTransactionCommittable restoredFromThree;
        using (var store = Open())
        {
            // A run at parallelism 4 dies: subtask 3 had pre-committed checkpoint 1 and had begun another transaction;
            // subtask 2 had only begun one. A sink of another job whose prefix starts the same way has one open too.
            var three = new TransactionalLogWriter(store, Topic, "job-sink", subtask: 3, parallelism: 4, transactionTimeoutMs: 60_000);
            three.Recover([]);
            Write(three, "kept");
            restoredFromThree = three.PreCommit(1)!.Value;
            Write(three, "lost-3");
            three.FlushBatches();
            var two = new TransactionalLogWriter(store, Topic, "job-sink", subtask: 2, parallelism: 4, transactionTimeoutMs: 60_000);
            two.Recover([]);
            Write(two, "lost-2");
            two.FlushBatches();
            var other = new TransactionalLogWriter(store, Topic, "job-sink-7", subtask: 1, parallelism: 2, transactionTimeoutMs: 60_000);
            other.Recover([]);
            Write(other, "other-job");
            other.FlushBatches();
        }

        using (var store = Open())
        {
            // Restored at parallelism 2: subtask 1 takes over old subtask 3 (its committable and its ids), subtask 0 old
            // subtask 2. The other job's transaction is left alone, so it still holds the last stable offset.
            var describe = (string id) => store.Transactions.TryDescribe(id, out var d) ? d.State : (Freshet.Log.Transactions.TransactionState?)null;
            var otherIds = store.Transactions.ListTransactionalIds().Where(id => id.StartsWith("job-sink-7-", StringComparison.Ordinal)).ToList();
            using var one = new TransactionalLogWriter(store, Topic, "job-sink", subtask: 1, parallelism: 2, transactionTimeoutMs: 60_000);
            one.Recover([restoredFromThree]);
            Assert.Equal(Freshet.Log.Transactions.TransactionState.Ongoing, describe(store.Transactions.ListTransactionalIds().Single(id => id.StartsWith("job-sink-2-", StringComparison.Ordinal))));
            using var zero = new TransactionalLogWriter(store, Topic, "job-sink", subtask: 0, parallelism: 2, transactionTimeoutMs: 60_000);
            zero.Recover([]);

            var ours = store.Transactions.ListTransactionalIds().Where(id => !otherIds.Contains(id)).ToList();
            Assert.NotEmpty(ours);
            Assert.All(ours, id => Assert.NotEqual(Freshet.Log.Transactions.TransactionState.Ongoing, describe(id)));
            Assert.All(otherIds, id => Assert.Equal(Freshet.Log.Transactions.TransactionState.Ongoing, describe(id)));
            Assert.Equal(["kept"], Committed(store));
        }
    }

    private LogStore Open()
    {
        var store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
        if (!store.TryDescribeTopic(Topic, out _))
        {
            store.CreateTopic(Topic, 1);
        }

        return store;
    }

    private static void Write(TransactionalLogWriter writer, params string[] values)
    {
        foreach (var value in values)
        {
            writer.Write(0, 1_000, null, Encoding.UTF8.GetBytes(value));
        }
    }

    private static List<string> Committed(LogStore store) =>
        store.GetPartition(Topic, 0).ReadCommittedRecords(0).Select(r => Encoding.UTF8.GetString(r.Value!)).ToList();
}
