using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Queryable;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Tables;

/// <summary>
/// Interactive queries of <see cref="Table{TKey, TValue}.Queryable"/> against running jobs at parallelism 2 on the heap
/// and RocksDB backends: a reader thread queries while the task threads write, then the final contents are checked.
/// </summary>
public sealed class QueryableTableTests : IDisposable
{
    /// <summary>Keys 0..15; an even key count keeps each key on one generator subtask (index parity), as a table needs.</summary>
    private const int Keys = 16;

    private readonly string _rocksDirectory = Path.Combine(Path.GetTempPath(), "freshet-queryable-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_rocksDirectory))
        {
            Directory.Delete(_rocksDirectory, recursive: true);
        }
    }

    /// <summary>A value written atomically per key: <see cref="Twice"/> is always <c>2 * N</c>.</summary>
    public sealed record Pair(long N, long Twice);

    [Theory]
    [InlineData("heap")]
    [InlineData("rocksdb")]
    public async Task Queryable_ReadWhileWriting_NoTornValuesAndFinalContentsAfterEnd(string backend)
    {
        const int versions = 400;
        var env = Environment(backend);
        var table = VersionedTable(env, count: Keys * versions, recordsPerSecond: 4_000).Queryable("pairs");
        Discard(table.ToChangelogStream());
        var job = await env.ExecuteAsync("queryable");
        var pairs = await TableAsync<int, Pair>(job, "pairs");

        // A reader hammers point reads, scans and counts while both subtasks write, until the input ends.
        var reads = 0;
        var found = 0;
        var lastSeen = new long[Keys];
        Array.Fill(lastSeen, -1);
        var random = new Random(7);
        while (!job.Completion.IsCompleted)
        {
            var key = random.Next(Keys);
            if (pairs.TryGet(key, out var pair))
            {
                Assert.Equal(2 * pair.N, pair.Twice);
                Assert.True(pair.N >= lastSeen[key], $"key {key}: read version {pair.N} after {lastSeen[key]}");
                lastSeen[key] = pair.N;
                found++;
            }

            var all = pairs.Scan(KeyRange.All<int>(), limit: 100);
            AssertOrderedWithin(all, from: null, to: null, limit: 100);
            var some = pairs.Scan(KeyRange.Between(3, 11), limit: 5);
            AssertOrderedWithin(some, from: 3, to: 11, limit: 5);
            Assert.InRange(pairs.CountKeys(), 0, Keys);
            reads++;
        }

        await job.Completion.WaitAsync(JobRunner.Deadline);
        Assert.True(reads >= 5 && found > 0, $"{found} of {reads} rounds found a value");

        // After the input ended, each subtask's final contents stay readable: every key at its last version.
        var expected = ExpectedFinal(versions);
        foreach (var (key, value) in expected)
        {
            Assert.True(pairs.TryGet(key, out var pair), $"key {key} missing");
            Assert.Equal(value, pair);
        }

        var scanned = pairs.Scan(KeyRange.All<int>(), limit: 1_000);
        Assert.Equal(expected.OrderBy(e => e.Key).ToList(), scanned.ToList());
        Assert.Equal(expected.Count, pairs.CountKeys());
        Assert.Equal([4, 5, 6], pairs.Scan(KeyRange.Between(4, 9), limit: 3).Select(e => e.Key));
        Assert.Equal([14, 15], pairs.Scan(KeyRange.AtLeast(14), limit: 10).Select(e => e.Key));
        Assert.Equal([0, 1], pairs.Scan(KeyRange.AtMost(1), limit: 10).Select(e => e.Key));
    }

    [Theory]
    [InlineData("heap")]
    [InlineData("rocksdb")]
    public async Task Queryable_KeysOfBothSubtasks_ReadFromTheirOwners(string backend)
    {
        var env = Environment(backend);
        VersionedTable(env, count: null, recordsPerSecond: 2_000).Queryable("pairs").ToStream().Filter(static _ => false).SinkTo(new CollectingSink<KeyValuePair<int, Pair?>>());
        var job = await env.ExecuteAsync("queryable-unbounded");
        try
        {
            // A table of Table.Queryable is known from the start; until its subtasks open, reads say it is being restored.
            var pairs = job.GetQueryableTable<int, Pair>("pairs");
            await JobRunner.WaitUntilAsync(() => CountOrRestoring(pairs) >= Keys / 2);

            // The keys span both subtasks (key groups of both halves); every one reads back with its invariant.
            var owners = Enumerable.Range(0, Keys).Select(OwnerOf).Distinct().Count();
            Assert.Equal(2, owners);
            for (var key = 0; key < Keys; key++)
            {
                if (pairs.TryGet(key, out var pair))
                {
                    Assert.Equal(2 * pair.N, pair.Twice);
                }
            }

            var first = pairs.Scan(KeyRange.All<int>(), Keys);
            AssertOrderedWithin(first, null, null, Keys);
        }
        finally
        {
            await job.CancelAsync();
        }

        // A cancelled job keeps no readable state: reads say so instead of returning stale values.
        var table = job.GetQueryableTable<int, Pair>("pairs");
        var error = Assert.Throws<InvalidOperationException>(() => table.TryGet(1, out _));
        Assert.Contains("'pairs'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("heap")]
    [InlineData("rocksdb")]
    public async Task Queryable_JobRestartsFromCheckpoint_ReadsSayRestoringThenServeRestoredState(string backend)
    {
        const int versions = 300;
        var failure = new FailOnce(Keys * 150);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            BufferTimeout = TimeSpan.FromMilliseconds(5),
            StateBackend = backend == "heap" ? StateBackend.Heap : StateBackend.RocksDb(_rocksDirectory),
            Checkpointing = new CheckpointingOptions
            {
                Directory = Path.Combine(_rocksDirectory, "checkpoints"),
                Interval = TimeSpan.FromMilliseconds(100),
                RestartStrategy = RestartStrategy.FixedDelay(2, TimeSpan.FromMilliseconds(300)),
            },
        });
        Discard(VersionedTable(env, count: Keys * versions, recordsPerSecond: 3_000, tap: failure.Pass).Queryable("pairs").ToChangelogStream());
        var job = await env.ExecuteAsync("queryable-restart");
        var pairs = job.GetQueryableTable<int, Pair>("pairs");

        // Reads during the restart are refused with a clear message; every value read is whole.
        var refusals = 0;
        var lastSeen = new long[Keys];
        while (!job.Completion.IsCompleted)
        {
            try
            {
                for (var key = 0; key < Keys; key++)
                {
                    if (pairs.TryGet(key, out var pair))
                    {
                        Assert.Equal(2 * pair.N, pair.Twice);
                        lastSeen[key] = pair.N;
                    }
                }
            }
            catch (InvalidOperationException e)
            {
                Assert.Contains("being restored", e.Message, StringComparison.Ordinal);
                refusals++;
                await Task.Delay(10);
            }
        }

        await job.Completion.WaitAsync(JobRunner.Deadline);
        Assert.NotNull(job.LastRestartCause);
        Assert.True(refusals > 0, "no read saw the table being restored");
        foreach (var (key, value) in ExpectedFinal(versions))
        {
            Assert.True(pairs.TryGet(key, out var pair));
            Assert.Equal(value, pair);
        }
    }

    [Fact]
    public async Task GetQueryableTable_UnknownNameOrWrongTypes_ClearErrors()
    {
        var env = Environment("heap");
        Discard(VersionedTable(env, count: Keys * 3, recordsPerSecond: null).Queryable("pairs").ToChangelogStream());
        var job = await JobRunner.RunAsync(env);

        Assert.Equal([new QueryableTableInfo("pairs", typeof(int), typeof(Pair))], job.GetQueryableTableNames());
        var unknown = Assert.Throws<KeyNotFoundException>(() => job.GetQueryableTable<int, Pair>("nope"));
        Assert.Contains("'pairs'", unknown.Message, StringComparison.Ordinal);
        var mismatch = Assert.Throws<InvalidCastException>(() => job.GetQueryableTable<string, Pair>("pairs"));
        Assert.Contains("System.Int32", mismatch.Message, StringComparison.Ordinal);
        Assert.Equal(Keys, job.GetQueryableTable("pairs").CountKeys());
    }

    [Fact]
    public void Queryable_DuplicateName_Refused()
    {
        var env = Environment("heap");
        var table = VersionedTable(env, count: 10, recordsPerSecond: null).Queryable("pairs");
        var error = Assert.Throws<InvalidOperationException>(() => table.Queryable("pairs"));
        Assert.Contains("'pairs'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryableName_OnValueStateOfProcessFunction_ReadsLatestPerKeyWithOrdinalStringScans()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<long>();
        env.FromGenerator(static i => i, count: 1_000).KeyBy(static i => "k" + (i % 10)).Process(new SumPerKey()).Filter(static _ => false).SinkTo(sink);
        var job = await JobRunner.RunAsync(env);

        var sums = job.GetQueryableTable<string, long>("sums");
        for (var k = 0; k < 10; k++)
        {
            Assert.True(sums.TryGet("k" + k, out var sum));
            Assert.Equal(Enumerable.Range(0, 1_000).Where(i => i % 10 == k).Sum(i => (long)i), sum);
        }

        Assert.False(sums.TryGet("absent", out _));
        Assert.Equal(["k2", "k3", "k4"], sums.Scan(KeyRange.Between("k2", "k4"), 10).Select(e => e.Key));
    }

    /// <summary>The table's key count, or −1 while a subtask is still being restored (opening).</summary>
    private static long CountOrRestoring<TKey, TValue>(QueryableTable<TKey, TValue> table)
        where TKey : notnull
    {
        try
        {
            return table.CountKeys();
        }
        catch (InvalidOperationException e) when (e.Message.Contains("being restored", StringComparison.Ordinal))
        {
            return -1;
        }
    }

    [Fact]
    public async Task QueryableName_SameNameInTwoOperators_FailsTheJobNamingBoth()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var numbers = env.FromGenerator(static i => i, count: 100);
        numbers.KeyBy(static i => "k" + (i % 3)).Process(new SumPerKey()).SinkTo(new CollectingSink<long>());
        numbers.KeyBy(static i => "k" + (i % 5)).Process(new SumPerKey()).SinkTo(new CollectingSink<long>());
        var job = await env.ExecuteAsync("duplicate-queryable");

        var error = await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion.WaitAsync(JobRunner.Deadline));
        Assert.Contains("'sums' is used by two operators", error.ToString(), StringComparison.Ordinal);
    }

    private static void AssertOrderedWithin(IReadOnlyList<KeyValuePair<int, Pair>> entries, int? from, int? to, int limit)
    {
        Assert.True(entries.Count <= limit);
        for (var i = 0; i < entries.Count; i++)
        {
            var (key, pair) = entries[i];
            Assert.Equal(2 * pair.N, pair.Twice);
            Assert.True(from is null || key >= from, $"key {key} below {from}");
            Assert.True(to is null || key <= to, $"key {key} above {to}");
            Assert.True(i == 0 || entries[i - 1].Key < key, "scan not strictly ordered");
        }
    }

    /// <summary>Which half of the key groups (so which of the two subtasks) owns <paramref name="key"/>.</summary>
    private static int OwnerOf(int key) => Streaming.Keys.KeyGroups.SubtaskOf(Streaming.Keys.KeyGroups.Of(Streaming.Keys.KeyHash<int>.Of(key), 128), 128, 2);

    private StreamEnvironment Environment(string backend) => StreamEnvironment.Create(new StreamEnvironmentOptions
    {
        Parallelism = 2,
        BufferTimeout = TimeSpan.FromMilliseconds(5),
        StateBackend = backend == "heap" ? StateBackend.Heap : StateBackend.RocksDb(_rocksDirectory),
    });

    /// <summary>
    /// A normalised changelog: index <c>i</c> is version <c>n = i / Keys</c> of key <c>i % Keys</c>, whose value is
    /// <c>(n, 2n)</c>; version 0 inserts, every seventh version deletes the row and the next inserts it again, the
    /// others update it (<c>-U</c> old, <c>+U</c> new).
    /// </summary>
    private static Table<int, Pair> VersionedTable(StreamEnvironment env, long? count, double? recordsPerSecond, Func<long, long>? tap = null)
    {
        var changes = env.FromGenerator(static i => i, count, recordsPerSecond: recordsPerSecond)
            .Map(tap ?? (static i => i))
            .FlatMap<Change<KeyValuePair<int, Pair>>>(static (i, output) =>
            {
                var key = (int)(i % Keys);
                var n = i / Keys;
                var current = KeyValuePair.Create(key, new Pair(n, 2 * n));
                var previous = KeyValuePair.Create(key, new Pair(n - 1, 2 * (n - 1)));
                if (n == 0 || n % 7 == 0)
                {
                    output.Collect(Change.Insert(current));
                }
                else if (n % 7 == 6)
                {
                    output.Collect(Change.Delete(previous));
                }
                else
                {
                    output.Collect(Change.UpdateBefore(previous));
                    output.Collect(Change.UpdateAfter(current));
                }
            });
        return new Table<int, Pair>(changes);
    }

    private static Dictionary<int, Pair> ExpectedFinal(int versions)
    {
        var last = versions - 1;
        return last % 7 == 6 ? [] : Enumerable.Range(0, Keys).ToDictionary(k => k, _ => new Pair(last, 2L * last));
    }

    private static void Discard<T>(DataStream<T> stream) => stream.Filter(static _ => false).SinkTo(new CollectingSink<T>());

    /// <summary>The table once every subtask has opened its state.</summary>
    private static async Task<QueryableTable<TKey, TValue>> TableAsync<TKey, TValue>(JobHandle job, string name)
        where TKey : notnull
    {
        var table = job.GetQueryableTable<TKey, TValue>(name);
        await JobRunner.WaitUntilAsync(() => CountOrRestoring(table) >= 0);
        return table;
    }

    /// <summary>Throws once, at the record with index <c>at</c>, so that the job restarts from its latest checkpoint.</summary>
    private sealed class FailOnce(long at)
    {
        private int _armed = 1;

        public long Pass(long i) => i == at && Interlocked.Exchange(ref _armed, 0) == 1 ? throw new InvalidOperationException("injected failure") : i;
    }

    /// <summary>Sums each key's records into a value state marked queryable as "sums".</summary>
    private sealed class SumPerKey : KeyedProcessFunction<string, long, long>
    {
        private ValueState<long>? _sum;

        public override void Open(RuntimeContext context) => _sum = context.GetState(new ValueStateDescriptor<long>("sum") { QueryableName = "sums" });

        public override void ProcessElement(long value, KeyedProcessContext<string> context, Collector<long> output)
        {
            _sum!.Update(_sum.Value + value);
            output.Collect(_sum.Value);
        }
    }
}
