using System.Text;
using Freshet.Log;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;
using static Freshet.Streaming.Tests.Tables.JoinTestSupport;

namespace Freshet.Streaming.Tests.Tables;

/// <summary>
/// Joins through a task failure: a full and an anti changelog join and a foreign-key join run with checkpoints, one input fails
/// once mid-stream, the job restarts from its latest checkpoint (the join states, the foreign-key subscriptions and
/// the sources' positions restored), and the exactly-once output committed to log topics materialises to the joins
/// of the whole inputs, normalised per key for the foreign-key join — on the heap and on RocksDB.
/// </summary>
public sealed class JoinCheckpointTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-join-checkpoint-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Already gone, or a file still held by a finished job's background work: the temp directory is left.
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Joins_TaskFailureMidStream_RestartFromTheLatestCheckpoint_CommittedOutputEqualsTheJoinOfTheInputs(bool rocksDb)
    {
        var random = new Random(20261207);
        var lefts = RandomChangelog(random, 3000, (k, v) => new JoinLeft(k, v));
        var rights = RandomChangelog(random, 3000, (k, v) => new JoinRight(k, v));
        var orders = RandomTable(random, 2000, 30, () => new JoinOrder(random.Next(11) is var c && c == 10 ? null : "c" + c, random.Next(100)), "o");
        var customers = RandomTable(random, 2000, 10, () => "n" + random.Next(10), "c");

        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("joined", 3);
        store.CreateTopic("fk", 3);
        store.CreateTopic("anti", 3);
        var failed = 0;
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            BufferTimeout = TimeSpan.FromMilliseconds(5),
            StateBackend = rocksDb ? StateBackend.RocksDb(Path.Combine(_root, "rocks")) : StateBackend.Heap,
            Checkpointing = new CheckpointingOptions
            {
                Directory = Path.Combine(_root, "checkpoints"),
                Interval = TimeSpan.FromMilliseconds(50),
                RestartStrategy = RestartStrategy.FixedDelay(2, TimeSpan.FromMilliseconds(10)),
            },
        });
        var exactlyOnce = new LogSinkOptions { DeliveryGuarantee = DeliveryGuarantee.ExactlyOnce };

        var left = Generated(env, lefts, "lefts").Map(i =>
            {
                // Fails once, late enough that checkpoints have completed.
                if (i == 2000 && Interlocked.Exchange(ref failed, 1) == 0)
                {
                    throw new InvalidOperationException("injected failure");
                }

                return lefts[(int)i];
            })
            .SetParallelism(1);
        var right = Generated(env, rights, "rights").Map(i => rights[(int)i]).SetParallelism(1);
        left.KeyBy(c => c.Row.Key)
            .JoinChanges(right.KeyBy(c => c.Row.Key), ChangelogJoinType.Full, Combine, static (l, r) => l.Value <= r.Value)
            .SinkToLogTopic(store, "joined", c => (Encoding.UTF8.GetBytes(c.Row.Split(':')[0]), Encoding.UTF8.GetBytes(c.ToString())), exactlyOnce);
        left.KeyBy(c => c.Row.Key)
            .JoinChanges(right.KeyBy(c => c.Row.Key), ChangelogJoinType.Anti, Combine, static (l, r) => l.Value <= r.Value)
            .SinkToLogTopic(store, "anti", c => (Encoding.UTF8.GetBytes(c.Row.Split(':')[0]), Encoding.UTF8.GetBytes(c.ToString())), exactlyOnce);

        var orderTable = new Table<string, JoinOrder>(Generated(env, orders, "orders").Map(i => orders[(int)i]).SetParallelism(1));
        var customerTable = new Table<string, string>(Generated(env, customers, "customers").Map(i => customers[(int)i]).SetParallelism(1));
        ForeignKeyJoinTests.JoinOrdersWithCustomers(orderTable, customerTable, inner: false)
            .ToChangelogStream()
            .SinkToLogTopic(store, "fk", c => (Encoding.UTF8.GetBytes(c.Row.Key), Encoding.UTF8.GetBytes($"{(int)c.Kind}|{c.Row.Key}|{c.Row.Value}")), exactlyOnce);

        var job = await env.ExecuteAsync("joins");
        await job.Completion.WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(JobStatus.Finished, job.Status);
        Assert.Equal(1, job.GetCheckpointMetrics().Restarts);
        Assert.NotNull(job.RestoredFrom);
        var joined = ReadCommitted(store, "joined").Select(line => new Change<string>(line[..2] == "+I" ? RowKind.Insert : RowKind.Delete, line[3..^1]));
        Assert.Equal(DirectJoin(lefts, rights, ChangelogJoinType.Full, static (l, r) => l.Value <= r.Value), Expand(Materialize(joined)));
        var anti = ReadCommitted(store, "anti").Select(line => new Change<string>(line[..2] == "+I" ? RowKind.Insert : RowKind.Delete, line[3..^1]));
        Assert.Equal(DirectJoin(lefts, rights, ChangelogJoinType.Anti, static (l, r) => l.Value <= r.Value), Expand(Materialize(anti)));
        var fk = ReadCommitted(store, "fk").Select(line => line.Split('|', 3)).Select(p => new Change<KeyValuePair<string, string>>((RowKind)int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), KeyValuePair.Create(p[1], p[2])));
        Assert.Equal(ForeignKeyJoinTests.ExpectedJoin(orders, customers, inner: false), MaterializeTable(fk).OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    /// <summary>The indexes of <paramref name="items"/> from one generator subtask, at 2,000 per second, so that
    /// checkpoints complete while the inputs are read.</summary>
    private static DataStream<long> Generated<T>(StreamEnvironment env, List<T> items, string name) =>
        env.FromGenerator(i => i, items.Count, recordsPerSecond: 2000, name: name).SetParallelism(1);

    /// <summary>A valid changelog of a multiset over keys 0..19, values 0..3, as likely to withdraw as to add (so the
    /// multiset stays small and the join's output modest).</summary>
    private static List<Change<TRow>> RandomChangelog<TRow>(Random random, int count, Func<int, int, TRow> row)
    {
        var present = new List<TRow>();
        var changes = new List<Change<TRow>>();
        for (var i = 0; i < count; i++)
        {
            if (present.Count == 0 || random.Next(2) == 0)
            {
                var added = row(random.Next(20), random.Next(4));
                present.Add(added);
                changes.Add(new Change<TRow>(random.Next(2) == 0 ? RowKind.Insert : RowKind.UpdateAfter, added));
            }
            else
            {
                var index = random.Next(present.Count);
                changes.Add(new Change<TRow>(random.Next(2) == 0 ? RowKind.Delete : RowKind.UpdateBefore, present[index]));
                present.RemoveAt(index);
            }
        }

        return changes;
    }

    /// <summary>A normalised table changelog of random upserts (4 in 5) and deletes over <paramref name="keys"/> keys.</summary>
    private static List<Change<KeyValuePair<string, TValue>>> RandomTable<TValue>(Random random, int count, int keys, Func<TValue> value, string prefix)
    {
        var current = new Dictionary<string, TValue>();
        var changes = new List<Change<KeyValuePair<string, TValue>>>();
        while (changes.Count < count)
        {
            var key = prefix + random.Next(keys);
            var had = current.TryGetValue(key, out var old);
            if (random.Next(5) == 0)
            {
                if (had)
                {
                    changes.Add(Change.Delete(KeyValuePair.Create(key, old!)));
                    current.Remove(key);
                }
            }
            else if (had)
            {
                var next = value();
                changes.Add(Change.UpdateBefore(KeyValuePair.Create(key, old!)));
                changes.Add(Change.UpdateAfter(KeyValuePair.Create(key, next)));
                current[key] = next;
            }
            else
            {
                var next = value();
                changes.Add(Change.Insert(KeyValuePair.Create(key, next)));
                current[key] = next;
            }
        }

        return changes;
    }

    private static List<string> ReadCommitted(LogStore store, string topic)
    {
        var records = new List<string>();
        foreach (var partition in store.DescribeTopic(topic).Partitions)
        {
            records.AddRange(store.GetPartition(topic, partition.Id).ReadCommittedRecords(0).Select(r => Encoding.UTF8.GetString(r.Value!)));
        }

        return records;
    }
}
