using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Time;

namespace Freshet.Sql.Tests.Planning;

/// <summary>
/// OVER aggregations run end to end through <c>env.Sql</c> and compared with the frames computed directly from the
/// input. The source emits one record per poll (BatchSize 1), so the watermark after each row is the largest
/// timestamp so far minus the delay minus 1 ms, and which rows are late is known in advance.
/// </summary>
public sealed class SqlOverAggregateTests : IDisposable
{
    private const long DelayMs = 2_000;
    private static readonly DateTime Epoch = DateTime.SpecifyKind(new DateTime(2026, 1, 1), DateTimeKind.Unspecified);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-sql-over-" + Guid.NewGuid().ToString("N"));

    public sealed record Ev(long Key, long Value, DateTime Ts);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>Rows of 4 keys, mostly in time order, with timestamps on a 100 ms grid (so keys share timestamps),
    /// rows up to the delay out of order, and (when <paramref name="late"/>) rows far behind the watermark.</summary>
    private static Ev[] Events(int count, int seed, bool late)
    {
        var random = new Random(seed);
        var events = new Ev[count];
        for (var i = 0; i < count; i++)
        {
            var ms = (i * 50L) - (random.Next(0, 20) * 100L);
            if (late && random.Next(15) == 0)
            {
                ms -= 10_000;
            }

            events[i] = new Ev(random.Next(4), random.Next(-50, 1000), Epoch.AddMilliseconds(Math.Max(0, ms) / 100 * 100));
        }

        return events;
    }

    private static long Millis(DateTime time) => (long)(time - DateTime.UnixEpoch).TotalMilliseconds;

    private static StreamEnvironment Create(Ev[] events, int parallelism, Func<Ev, Ev>? throttle = null, string? restore = null, string? checkpoints = null, StateBackend? backend = null)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = parallelism,
            StateBackend = backend ?? StateBackend.Heap,
            BatchSize = 1,
            BufferTimeout = TimeSpan.FromMilliseconds(5),
            RestoreFromSavepoint = restore,
            Checkpointing = checkpoints is null ? null : new CheckpointingOptions { Directory = checkpoints, Interval = TimeSpan.FromMilliseconds(50), RestartStrategy = RestartStrategy.None },
        });
        var stream = env.FromCollection(events, WatermarkStrategy.ForBoundedOutOfOrderness<Ev>(TimeSpan.FromMilliseconds(DelayMs)).WithTimestampAssigner((e, _) => Millis(e.Ts)));
        if (throttle is not null)
        {
            stream = stream.Map(throttle);
        }

        env.Sql.CreateTemporaryView("ev", stream, rowtimeColumn: "Ts");
        return env;
    }

    /// <summary>The rows the source's watermark does not make late: a row is late when its timestamp is not after the
    /// watermark of the rows before it.</summary>
    private static List<Ev> OnTime(IEnumerable<Ev> events)
    {
        var onTime = new List<Ev>();
        var watermark = long.MinValue;
        var max = long.MinValue;
        foreach (var e in events)
        {
            var ms = Millis(e.Ts);
            if (ms > watermark)
            {
                onTime.Add(e);
            }

            max = Math.Max(max, ms);
            watermark = max - DelayMs - 1;
        }

        return onTime;
    }

    /// <summary>Each on-time row with COUNT(*), SUM, MIN and MAX of Value over its frame: its key's rows in timestamp
    /// order (arrival order among equal timestamps), the frame chosen by <paramref name="frame"/> from that list and the row's index.</summary>
    private static IReadOnlyList<string> Expected(IEnumerable<Ev> events, Func<List<Ev>, int, IEnumerable<Ev>> frame)
    {
        var rows = new List<object?[]>();
        foreach (var partition in OnTime(events).GroupBy(e => e.Key))
        {
            var ordered = partition.OrderBy(e => e.Ts).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var inFrame = frame(ordered, i).ToList();
                var e = ordered[i];
                rows.Add([e.Key, e.Value, e.Ts, (long)inFrame.Count, inFrame.Sum(x => x.Value), inFrame.Min(x => x.Value), inFrame.Max(x => x.Value)]);
            }
        }

        return SqlJobs.Sorted(rows);
    }

    private static Func<List<Ev>, int, IEnumerable<Ev>> RangeOf(long? precedingMs) => (ordered, i) =>
        ordered.Where(x => x.Ts <= ordered[i].Ts && (precedingMs is not { } p || Millis(x.Ts) >= Millis(ordered[i].Ts) - p));

    private static Func<List<Ev>, int, IEnumerable<Ev>> RowsOf(int? preceding) => (ordered, i) =>
        ordered.Skip(preceding is { } n ? Math.Max(0, i - n) : 0).Take(preceding is { } m ? i - Math.Max(0, i - m) + 1 : i + 1);

    private const string Select = "SELECT Key, `Value`, Ts, COUNT(*) OVER w, SUM(`Value`) OVER w, MIN(`Value`) OVER w, MAX(`Value`) OVER w FROM ev WINDOW w AS (PARTITION BY Key ORDER BY Ts ";

    public static TheoryData<string, int> Frames => new()
    {
        { "RANGE BETWEEN INTERVAL '1' SECOND PRECEDING AND CURRENT ROW", 1 },
        { "RANGE BETWEEN INTERVAL '1' SECOND PRECEDING AND CURRENT ROW", 2 },
        { "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW", 1 },
        { "RANGE BETWEEN CURRENT ROW AND CURRENT ROW", 1 },
        { "ROWS BETWEEN 3 PRECEDING AND CURRENT ROW", 1 },
        { "ROWS BETWEEN 3 PRECEDING AND CURRENT ROW", 2 },
        { "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW", 1 },
        { "ROWS BETWEEN CURRENT ROW AND CURRENT ROW", 1 },
        { "", 1 },
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public async Task OverAggregate_RandomRowsWithTiesDisorderAndLateRows_EqualsFramesComputedDirectly(string frameText, int parallelism)
    {
        // At parallelism 2 the keyed exchange can hold a watermark back, so rows that are late at the source may be
        // on time there: only that run's input has no late rows.
        var events = Events(600, seed: 11 + frameText.Length, late: parallelism == 1);
        var changes = await SqlJobs.RunAsync(Create(events, parallelism), Select + frameText + ")");
        Assert.All(changes, c => Assert.Equal(RowKind.Insert, c.Kind));
        Func<List<Ev>, int, IEnumerable<Ev>> frame = frameText switch
        {
            "RANGE BETWEEN INTERVAL '1' SECOND PRECEDING AND CURRENT ROW" => RangeOf(1_000),
            "RANGE BETWEEN CURRENT ROW AND CURRENT ROW" => RangeOf(0),
            "ROWS BETWEEN 3 PRECEDING AND CURRENT ROW" => RowsOf(3),
            "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW" => RowsOf(null),
            "ROWS BETWEEN CURRENT ROW AND CURRENT ROW" => RowsOf(0),
            _ => RangeOf(null),
        };
        var expected = Expected(events, frame);
        Assert.True(OnTime(events).Count < events.Length || parallelism == 2, "the input has late rows");
        Assert.Equal(expected, SqlJobs.Materialize(changes));
    }

    [Theory]
    [InlineData("RANGE BETWEEN INTERVAL '1' SECOND PRECEDING AND CURRENT ROW")]
    [InlineData("ROWS BETWEEN 3 PRECEDING AND CURRENT ROW")]
    public async Task OverAggregate_RocksDbState_EqualsFramesComputedDirectly(string frameText)
    {
        var events = Events(400, seed: 17, late: true);
        var changes = await SqlJobs.RunAsync(Create(events, 1, backend: StateBackend.RocksDb(Path.Combine(_root, "rocksdb"))), Select + frameText + ")");
        Assert.Equal(Expected(events, frameText.StartsWith("ROWS", StringComparison.Ordinal) ? RowsOf(3) : RangeOf(1_000)), SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task OverAggregate_InlineWindowsWithoutPartitionAndExpressions_ProjectsOverResults()
    {
        var events = Events(300, seed: 5, late: false);
        var changes = await SqlJobs.RunAsync(Create(events, 1),
            "SELECT Key, `Value` - AVG(`Value`) OVER (ORDER BY Ts ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS diff, "
            + "COUNT(DISTINCT Key) OVER (ORDER BY Ts ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS keys FROM ev WHERE `Value` >= 0");
        var ordered = OnTime(events).Where(e => e.Value >= 0).OrderBy(e => e.Ts).ToList();
        var expected = ordered.Select((e, i) =>
        {
            var frame = ordered.Skip(Math.Max(0, i - 4)).Take(i - Math.Max(0, i - 4) + 1).ToList();
            return new object?[] { e.Key, e.Value - (frame.Sum(x => x.Value) / frame.Count), (long)frame.Select(x => x.Key).Distinct().Count() };
        });
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    [Theory]
    [InlineData("ROWS BETWEEN 2 PRECEDING AND CURRENT ROW")]
    [InlineData("RANGE BETWEEN INTERVAL '1' SECOND PRECEDING AND CURRENT ROW")]
    public async Task OverAggregate_ProcessingTime_EachRowSeesTheRowsThatArrivedBeforeIt(string frameText)
    {
        // The clock stands still, so every row has the same processing time: a RANGE frame holds every row of the
        // key that arrived before (processed on arrival, rows of the same millisecond do not see later ones), a
        // ROWS frame the last three.
        Directory.CreateDirectory(_root);
        var file = Path.Combine(_root, "rows.csv");
        var random = new Random(9);
        var rows = Enumerable.Range(0, 200).Select(i => (Key: (long)random.Next(3), Value: (long)i)).ToList();
        await File.WriteAllLinesAsync(file, rows.Select(r => $"{r.Key},{r.Value}"));
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, BufferTimeout = TimeSpan.FromMilliseconds(5), Clock = new StoppedClock() });
        await env.Sql.ExecuteSqlAsync($"CREATE TABLE t (k BIGINT, v BIGINT, pt AS PROCTIME()) WITH ('connector' = 'filesystem', 'path' = '{file}', 'format' = 'csv')");
        var changes = await SqlJobs.RunAsync(env, $"SELECT k, v, SUM(v) OVER w, COUNT(*) OVER w FROM t WINDOW w AS (PARTITION BY k ORDER BY pt {frameText})");
        var expected = rows.GroupBy(r => r.Key).SelectMany(g =>
        {
            var ordered = g.ToList();
            return ordered.Select((r, i) =>
            {
                var frame = ordered.Take(i + 1).Skip(frameText.StartsWith("ROWS", StringComparison.Ordinal) ? Math.Max(0, i - 2) : 0).ToList();
                return new object?[] { r.Key, r.Value, frame.Sum(x => x.Value), (long)frame.Count };
            });
        });
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    private sealed class StoppedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    [Fact]
    public void Explain_OverAggregate_ShowsPartitionOrderAndFrame()
    {
        var env = Create(Events(10, 1, late: false), 1);
        var plan = env.Sql.SqlQuery("SELECT Key, SUM(`Value`) OVER (PARTITION BY Key ORDER BY Ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) AS s FROM ev").Explain();
        Assert.Contains("OverAggregate(partitionBy=[Key], orderBy=[Ts ASC], window=[RANGE BETWEEN 3600000 PRECEDING AND CURRENT ROW], select=[Key, Value, Ts, SUM(Value) AS w0$o0])", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT SUM(`Value`) OVER (PARTITION BY Key ORDER BY Ts ROWS 2 PRECEDING), COUNT(*) OVER (PARTITION BY Key ORDER BY Ts) FROM ev", "same window")]
    [InlineData("SELECT SUM(`Value`) OVER (ORDER BY Ts ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) FROM ev", "must end at CURRENT ROW")]
    [InlineData("SELECT SUM(`Value`) OVER (ORDER BY Ts RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) FROM ev", "day-time INTERVAL")]
    [InlineData("SELECT SUM(`Value`) OVER (ORDER BY Ts ROWS BETWEEN INTERVAL '1' SECOND PRECEDING AND CURRENT ROW) FROM ev", "whole number of rows")]
    public void OverAggregate_UnsupportedWindows_RefusedByName(string query, string message)
    {
        var env = Create(Events(10, 1, late: false), 1);
        var error = Assert.ThrowsAny<SqlException>(() => env.Sql.SqlQuery(query));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverAggregate_RestoredFromASavepointAtAnotherParallelism_EmitsEveryRowOnce()
    {
        var events = Events(1_500, seed: 3, late: false);
        var query = Select + "RANGE BETWEEN INTERVAL '2' SECOND PRECEDING AND CURRENT ROW)";
        var first = Create(events, 2, Throttled, checkpoints: Path.Combine(_root, "checkpoints"));
        var firstSink = new CollectingSink<Change<Row>>();
        first.Sql.ToChangelogStream(first.Sql.SqlQuery(query)).SinkTo(firstSink).SetParallelism(1);
        var job = await first.ExecuteAsync("over");
        await WaitUntilAsync(() => job.GetCheckpointMetrics().Completed >= 1);
        var savepoint = await job.StopWithSavepointAsync(Path.Combine(_root, "savepoint")).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(firstSink.Results.Count < events.Length, $"the savepoint was taken before the end of the input ({firstSink.Results.Count} rows)");

        var second = Create(events, 1, static e => e, restore: savepoint, checkpoints: Path.Combine(_root, "checkpoints-2"));
        var changes = await SqlJobs.RunAsync(second, query);
        Assert.Equal(Expected(events, RangeOf(2_000)), SqlJobs.Materialize(firstSink.Results.Concat(changes)));
    }

    private static Ev Throttled(Ev e)
    {
        Thread.Sleep(1);
        return e;
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for a checkpoint");
            await Task.Delay(20);
        }
    }
}
