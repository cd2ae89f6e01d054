using Freshet.Log;
using Freshet.Nexmark;
using Freshet.Nexmark.Generation;
using Freshet.Nexmark.Model;
using Freshet.Sql.Parsing;
using Freshet.Streaming;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Time;

namespace Freshet.Sql.Tests.Planning;

/// <summary>
/// The SESSION window table function under a window aggregation, run end to end through <c>env.Sql</c> and compared
/// with sessions computed directly from the input. The source emits one record per poll (BatchSize 1), so the
/// watermark after each row is the largest timestamp so far minus the delay minus 1 ms.
/// </summary>
public sealed class SqlSessionWindowTests : IDisposable
{
    private const long DelayMs = 2_000;
    private const long GapMs = 1_000;
    private static readonly DateTime Epoch = DateTime.SpecifyKind(new DateTime(2026, 1, 1), DateTimeKind.Unspecified);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-sql-session-" + Guid.NewGuid().ToString("N"));

    public sealed record Ev(long Key, long Value, DateTime Ts);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private const string ByKey = """
        SELECT Key, window_start, window_end, COUNT(*) AS n, SUM(`Value`) AS total, MAX(`Value`) AS peak
        FROM TABLE(SESSION(TABLE ev PARTITION BY Key, DESCRIPTOR(Ts), INTERVAL '1' SECOND))
        GROUP BY Key, window_start, window_end
        """;

    /// <summary>Rows of 5 keys whose times advance by 0.1–0.5 s with a pause of 3 s now and then (sessions end), up
    /// to 1.9 s out of order (a row can bridge two sessions), and (when <paramref name="late"/>) rows 10 s behind.</summary>
    private static Ev[] Events(int count, int seed, bool late)
    {
        var random = new Random(seed);
        var events = new Ev[count];
        var clock = 0L;
        for (var i = 0; i < count; i++)
        {
            clock += random.Next(8) == 0 ? 3_000 : random.Next(1, 6) * 20;
            var ms = clock - random.Next(0, 20) * 100;
            if (late && random.Next(20) == 0)
            {
                ms -= 10_000;
            }

            events[i] = new Ev(random.Next(5), random.Next(1, 1000), Epoch.AddMilliseconds(Math.Max(0, ms)));
        }

        return events;
    }

    private static long Millis(DateTime time) => (long)(time - DateTime.UnixEpoch).TotalMilliseconds;

    private static DateTime At(long ms) => DateTime.SpecifyKind(DateTime.UnixEpoch.AddMilliseconds(ms), DateTimeKind.Unspecified);

    private static StreamEnvironment Create(Ev[] events, int parallelism, Func<Ev, Ev>? map = null, string? restore = null, string? checkpoints = null, StateBackend? backend = null)
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
        if (map is not null)
        {
            stream = stream.Map(map);
        }

        env.Sql.CreateTemporaryView("ev", stream, rowtimeColumn: "Ts");
        return env;
    }

    /// <summary>Sessions computed directly: each key's rows in time order, split where the next row comes more than
    /// the gap after the last (windows that touch merge); a session is [first, last + gap).</summary>
    private static IEnumerable<(long Key, long Start, long End, List<Ev> Rows)> Sessions(IEnumerable<Ev> events, Func<Ev, long> key)
    {
        foreach (var partition in events.GroupBy(key))
        {
            var ordered = partition.OrderBy(e => e.Ts).ToList();
            var current = new List<Ev> { ordered[0] };
            for (var i = 1; i <= ordered.Count; i++)
            {
                if (i == ordered.Count || Millis(ordered[i].Ts) - Millis(current[^1].Ts) > GapMs)
                {
                    yield return (partition.Key, Millis(current[0].Ts), Millis(current[^1].Ts) + GapMs, current);
                    if (i < ordered.Count)
                    {
                        current = [ordered[i]];
                    }
                }
                else
                {
                    current.Add(ordered[i]);
                }
            }
        }
    }

    private static IReadOnlyList<string> ExpectedByKey(IEnumerable<Ev> events) => SqlJobs.Sorted(Sessions(events, e => e.Key).Select(s => new object?[]
    {
        s.Key, At(s.Start), At(s.End), (long)s.Rows.Count, s.Rows.Sum(e => e.Value), s.Rows.Max(e => e.Value),
    }));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task SessionWindow_RandomRowsOutOfOrderPerKey_EqualsSessionsComputedDirectly(int parallelism)
    {
        var events = Events(1_500, seed: 21, late: false);
        var changes = await SqlJobs.RunAsync(Create(events, parallelism), ByKey);
        Assert.All(changes, c => Assert.Equal(RowKind.Insert, c.Kind));
        var expected = ExpectedByKey(events);
        Assert.True(expected.Count > 50, $"{expected.Count} sessions");
        Assert.Equal(expected, SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task SessionWindow_WithoutPartitionAndWithWhere_OneSessionStreamForAllRows()
    {
        var events = Events(800, seed: 4, late: false);
        var changes = await SqlJobs.RunAsync(Create(events, 2),
            "SELECT window_start, window_end, COUNT(*) FROM TABLE(SESSION(TABLE ev, DESCRIPTOR(Ts), INTERVAL '1' SECOND)) WHERE `Value` > 300 GROUP BY window_end, window_start");
        var expected = Sessions(events.Where(e => e.Value > 300), _ => 0).Select(s => new object?[] { At(s.Start), At(s.End), (long)s.Rows.Count });
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task SessionWindow_RowBridgingTwoSessions_MergesThem()
    {
        // 0 s and 1.5 s are two sessions until the row at 0.8 s (within the delay) touches both: [0, 2.5 s).
        // Key 2: 0 s and 1 s touch ([0, 1 s) and [1 s, 2 s)), so they are one session too.
        Ev EventAt(long key, long ms) => new(key, 1, Epoch.AddMilliseconds(ms));
        var events = new[] { EventAt(1, 0), EventAt(1, 1_500), EventAt(2, 0), EventAt(1, 800), EventAt(2, 1_000), EventAt(1, 5_000) };
        var changes = await SqlJobs.RunAsync(Create(events, 1), ByKey);
        object?[] Session(long key, long start, long end, long n) => [key, At(Millis(Epoch) + start), At(Millis(Epoch) + end), n, n, 1L];
        Assert.Equal(SqlJobs.Sorted([Session(1, 0, 2_500, 3), Session(2, 0, 2_000, 2), Session(1, 5_000, 6_000, 1)]), SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task SessionWindow_LateRows_DroppedUnlessTheyJoinAnOpenSession()
    {
        var events = Events(1_500, seed: 8, late: true);
        var changes = await SqlJobs.RunAsync(Create(events, 1), ByKey);
        var (expected, dropped) = Simulated(events);
        Assert.True(dropped > 10, $"{dropped} late rows");
        Assert.Equal(expected, SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task SessionWindow_RocksDbState_LateRowsAndMergesAsOnTheHeap()
    {
        var events = Events(600, seed: 19, late: true);
        var changes = await SqlJobs.RunAsync(Create(events, 1, backend: StateBackend.RocksDb(Path.Combine(_root, "rocksdb"))), ByKey);
        Assert.Equal(Simulated(events).Sessions, SqlJobs.Materialize(changes));
    }

    /// <summary>
    /// The sessions of <paramref name="events"/> with the source's watermark applied row by row: before a row, every
    /// session whose end − 1 ms the watermark has reached is closed; a row that meets no open session of its key and
    /// whose own window [t, t + gap) has ended by the watermark is dropped.
    /// </summary>
    private static (IReadOnlyList<string> Sessions, int Dropped) Simulated(IEnumerable<Ev> events)
    {
        var open = new Dictionary<long, List<(long Start, long End, List<Ev> Rows)>>();
        var closed = new List<object?[]>();
        var watermark = long.MinValue;
        var max = long.MinValue;
        var dropped = 0;
        void Close(Func<long, bool> ended)
        {
            foreach (var (key, sessions) in open)
            {
                foreach (var s in sessions.Where(s => ended(s.End - 1)).ToList())
                {
                    closed.Add([key, At(s.Start), At(s.End), (long)s.Rows.Count, s.Rows.Sum(e => e.Value), s.Rows.Max(e => e.Value)]);
                    sessions.Remove(s);
                }
            }
        }

        foreach (var e in events)
        {
            var ms = Millis(e.Ts);
            var sessions = open.TryGetValue(e.Key, out var list) ? list : open[e.Key] = [];
            var meeting = sessions.Where(s => s.Start <= ms + GapMs && s.End >= ms).ToList();
            if (meeting.Count == 0 && ms + GapMs - 1 <= watermark)
            {
                dropped++;
            }
            else
            {
                var rows = meeting.SelectMany(s => s.Rows).Append(e).ToList();
                sessions.RemoveAll(meeting.Contains);
                sessions.Add((Math.Min(ms, meeting.Count == 0 ? ms : meeting.Min(s => s.Start)), Math.Max(ms + GapMs, meeting.Count == 0 ? 0 : meeting.Max(s => s.End)), rows));
            }

            max = Math.Max(max, ms);
            watermark = max - DelayMs - 1;
            Close(end => end <= watermark);
        }

        Close(_ => true);
        return (SqlJobs.Sorted(closed), dropped);
    }

    [Fact]
    public void Explain_SessionWindowAggregate_OneWindowAggregateWithTheSession()
    {
        var env = Create(Events(10, 1, late: false), 1);
        var plan = env.Sql.SqlQuery(ByKey).Explain();
        Assert.Contains("WindowAggregate(groupBy=[Key], window=[SESSION(time_col=[Ts], gap=[1000ms], partition keys=[Key])], select=[COUNT(*), SUM(Value), MAX(Value)])", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("WindowTableFunction", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT * FROM TABLE(SESSION(TABLE ev PARTITION BY Key, DESCRIPTOR(Ts), INTERVAL '1' SECOND))", "runs only directly under a window aggregation")]
    [InlineData("SELECT COUNT(*) FROM (SELECT window_start, window_end FROM TABLE(SESSION(TABLE ev, DESCRIPTOR(Ts), INTERVAL '1' SECOND))) GROUP BY window_start, window_end", "runs only directly under a window aggregation")]
    [InlineData("SELECT Key, window_start, COUNT(*) FROM TABLE(SESSION(TABLE ev, DESCRIPTOR(Ts), INTERVAL '1' SECOND)) GROUP BY Key, window_start, window_end", "exactly the SESSION's partition keys")]
    [InlineData("SELECT window_start, COUNT(*) FROM TABLE(SESSION(TABLE ev PARTITION BY Key, DESCRIPTOR(Ts), INTERVAL '1' SECOND)) GROUP BY window_start, window_end", "exactly the SESSION's partition keys")]
    [InlineData("SELECT Key, MAX(window_time) FROM TABLE(SESSION(TABLE ev PARTITION BY Key, DESCRIPTOR(Ts), INTERVAL '1' SECOND)) GROUP BY Key, window_start, window_end", "cannot read window_start")]
    public void SessionWindow_UnsupportedShapes_RefusedByName(string query, string message)
    {
        var env = Create(Events(10, 1, late: false), 1);
        var error = Assert.ThrowsAny<SqlException>(() => env.Sql.SqlQuery(query));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionWindow_RestoredFromASavepointAtAnotherParallelism_EmitsEverySessionOnce()
    {
        var events = Events(1_500, seed: 13, late: false);
        var first = Create(events, 2, Throttled, checkpoints: Path.Combine(_root, "checkpoints"));
        var firstSink = new CollectingSink<Change<Row>>();
        first.Sql.ToChangelogStream(first.Sql.SqlQuery(ByKey)).SinkTo(firstSink).SetParallelism(1);
        var job = await first.ExecuteAsync("sessions");
        await SqlOverAggregateTests.WaitUntilAsync(() => job.GetCheckpointMetrics().Completed >= 1);
        var savepoint = await job.StopWithSavepointAsync(Path.Combine(_root, "savepoint")).WaitAsync(TimeSpan.FromSeconds(60));
        var expected = ExpectedByKey(events);
        Assert.True(firstSink.Results.Count < expected.Count, $"the savepoint was taken before the end of the input ({firstSink.Results.Count} sessions)");

        var second = Create(events, 1, static e => e, restore: savepoint, checkpoints: Path.Combine(_root, "checkpoints-2"));
        var changes = await SqlJobs.RunAsync(second, ByKey);
        Assert.Equal(expected, SqlJobs.Materialize(firstSink.Results.Concat(changes)));
    }

    [Fact]
    public async Task NexmarkQ11_SessionTableFunctionForm_CountsBidsPerUserSession()
    {
        // q11 (user sessions) written with the SESSION window table function instead of the legacy GROUP BY
        // SESSION(dateTime, INTERVAL '10' SECOND).
        const long events = 20_000;
        var directory = Path.Combine(_root, "log");
        Directory.CreateDirectory(directory);
        using var store = LogStore.Open(directory, new LogStoreOptions { BackgroundMaintenance = false });
        var generator = new NexmarkGenerator(new NexmarkConfig { Seed = 2026 });
        NexmarkJsonLogWriter.Write(store, NexmarkSql.Topic, generator, 0, events, 2);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { BufferTimeout = TimeSpan.FromMilliseconds(5) });
        var sql = SqlEnvironment.Create(env, new SqlEnvironmentOptions { LogStore = store });
        await sql.ExecuteSqlAsync("SET 'parallelism.default' = '2'");
        await sql.ExecuteSqlAsync(NexmarkSql.CreateSourceTable(NexmarkSql.Topic, bounded: true));
        foreach (var view in SqlScript.Split(NexmarkSql.Views))
        {
            await sql.ExecuteSqlAsync(view.Text);
        }

        const string q11 = """
            SELECT B.bidder, count(*) as bid_count, window_start AS starttime, window_end AS endtime
            FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) B
            GROUP BY B.bidder, window_start, window_end
            """;
        var changes = new List<Change<Row>>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using (var result = await sql.ExecuteSqlAsync(q11))
        {
            await foreach (var change in result.ReadChangesAsync(timeout.Token))
            {
                changes.Add(change);
            }
        }

        var bids = new List<(long Bidder, long Ms)>();
        for (long n = 0; n < events; n++)
        {
            if (generator.Generate(n) is { Kind: EventKind.Bid, Bid: { } bid })
            {
                bids.Add((bid.Bidder, bid.DateTime));
            }
        }

        var expected = new List<object?[]>();
        foreach (var bidder in bids.GroupBy(b => b.Bidder))
        {
            var times = bidder.Select(b => b.Ms).Order().ToList();
            var start = 0;
            for (var i = 1; i <= times.Count; i++)
            {
                if (i == times.Count || times[i] - times[i - 1] > 10_000)
                {
                    expected.Add([bidder.Key, (long)(i - start), DateTime.UnixEpoch.AddMilliseconds(times[start]), DateTime.UnixEpoch.AddMilliseconds(times[i - 1] + 10_000)]);
                    start = i;
                }
            }
        }

        Assert.Equal(SqlJobs.Sorted(expected.Select(r => r.Select(v => v is DateTime t ? DateTime.SpecifyKind(t, DateTimeKind.Unspecified) : v).ToArray())), SqlJobs.Materialize(changes));
    }

    private static Ev Throttled(Ev e)
    {
        Thread.Sleep(1);
        return e;
    }
}
