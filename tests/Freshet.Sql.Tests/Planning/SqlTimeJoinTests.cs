using Freshet.Log;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Time;

namespace Freshet.Sql.Tests.Planning;

/// <summary>Interval, window and temporal joins end to end, each against a direct computation over random inputs that
/// arrive out of order within the watermark's delay.</summary>
public sealed class SqlTimeJoinTests : IDisposable
{
    public sealed record Event(long Id, long K, DateTime Ts);

    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0);
    private readonly string _root = Directory.CreateTempSubdirectory("freshet-sql-timejoin-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Events 100 ms apart on average, each up to 900 ms later than its place, so out of order but never
    /// behind a watermark with one second of delay.</summary>
    private static Event[] Events(int count, int keys, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(i => new Event(i, random.Next(keys), Start.AddMilliseconds((i * 100L) + random.Next(900))))
            .ToArray();
    }

    private static void View(StreamEnvironment env, string name, Event[] events) =>
        env.Sql.CreateTemporaryView(name, env.FromCollection(events, WatermarkStrategy.ForBoundedOutOfOrderness<Event>(TimeSpan.FromSeconds(1))
            .WithTimestampAssigner((e, _) => Millis(e.Ts))), rowtimeColumn: "Ts");

    private static long Millis(DateTime time) => new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private const string IntervalCondition = "l.K = r.K AND l.Ts BETWEEN r.Ts - INTERVAL '1' SECOND AND r.Ts + INTERVAL '2' SECOND";

    private static bool InInterval(Event l, Event r) => l.K == r.K && l.Ts >= r.Ts.AddSeconds(-1) && l.Ts <= r.Ts.AddSeconds(2);

    /// <summary>The rows of a join of <paramref name="lefts"/> and <paramref name="rights"/> as (left id, right id),
    /// with the unmatched rows of the outer sides padded with NULL.</summary>
    private static IEnumerable<object?[]> Expected<TL, TR>(string kind, TL[] lefts, TR[] rights, Func<TL, TR, bool> match, Func<TL, object?> leftId, Func<TR, object?> rightId)
    {
        foreach (var l in lefts)
        {
            var any = false;
            foreach (var r in rights.Where(r => match(l, r)))
            {
                any = true;
                yield return [leftId(l), rightId(r)];
            }

            if (!any && kind is "LEFT" or "FULL")
            {
                yield return [leftId(l), null];
            }
        }

        if (kind is "RIGHT" or "FULL")
        {
            foreach (var r in rights.Where(r => !lefts.Any(l => match(l, r))))
            {
                yield return [null, rightId(r)];
            }
        }
    }

    [Theory]
    [InlineData("INNER", 1)]
    [InlineData("LEFT", 1)]
    [InlineData("RIGHT", 2)]
    [InlineData("FULL", 2)]
    public async Task IntervalJoin_BetweenBounds_EqualsDirectComputationAndIsAppendOnly(string kind, int parallelism)
    {
        var lefts = Events(400, 5, seed: 1);
        var rights = Events(300, 5, seed: 2);
        var env = SqlJobs.Environment(parallelism);
        View(env, "L", lefts);
        View(env, "R", rights);
        var query = $"SELECT l.Id, r.Id FROM L l {kind} JOIN R r ON {IntervalCondition}";

        var plan = await Explain(env, query);
        Assert.Contains($"IntervalJoin(joinType=[{(kind == "INNER" ? "Inner" : kind[0] + kind[1..].ToLowerInvariant())}], windowBounds=[isRowTime=true, leftLowerBound=-1000, leftUpperBound=2000", plan, StringComparison.Ordinal);
        var changes = await SqlJobs.RunAsync(env, query);

        Assert.All(changes, c => Assert.Equal(RowKind.Insert, c.Kind));
        var expected = Expected(kind, lefts, rights, InInterval, l => l.Id, r => r.Id);
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task IntervalJoin_StrictComparisonsInWhereOfCommaJoin_EqualsDirectComputation()
    {
        var lefts = Events(300, 4, seed: 3);
        var rights = Events(300, 4, seed: 4);
        var env = SqlJobs.Environment(2);
        View(env, "L", lefts);
        View(env, "R", rights);
        const string query = "SELECT l.Id, r.Id FROM L l, R r WHERE l.K = r.K AND r.Ts > l.Ts AND r.Ts < l.Ts + INTERVAL '1' SECOND";

        Assert.Contains("IntervalJoin(joinType=[Inner], windowBounds=[isRowTime=true, leftLowerBound=-999, leftUpperBound=-1", await Explain(env, query), StringComparison.Ordinal);
        var changes = await SqlJobs.RunAsync(env, query);

        var expected = Expected("INNER", lefts, rights, (l, r) => l.K == r.K && r.Ts > l.Ts && r.Ts < l.Ts.AddSeconds(1), l => l.Id, r => r.Id);
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    [Theory]
    [InlineData("l.K = r.K AND l.Ts >= r.Ts - INTERVAL '1' SECOND")]
    [InlineData("l.K = r.K AND l.Id BETWEEN r.Id - 1 AND r.Id + 1")]
    public async Task Join_ConditionThatDoesNotBoundTimeOnBothSides_PlansARegularJoin(string condition)
    {
        var env = SqlJobs.Environment();
        View(env, "L", Events(10, 2, seed: 5));
        View(env, "R", Events(10, 2, seed: 6));

        var plan = await Explain(env, $"SELECT l.Id, r.Id FROM L l LEFT JOIN R r ON {condition}");

        Assert.DoesNotContain("IntervalJoin", plan, StringComparison.Ordinal);
        Assert.Contains("Join(joinType=[Left]", plan, StringComparison.Ordinal);
        Assert.Contains("changelogMode=[I,UB,UA,D]", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INNER", 1)]
    [InlineData("LEFT", 2)]
    [InlineData("RIGHT", 1)]
    [InlineData("FULL", 2)]
    public async Task WindowJoin_Tumble_EqualsDirectComputationPerWindow(string kind, int parallelism)
    {
        var lefts = Events(300, 4, seed: 7);
        var rights = Events(300, 4, seed: 8);
        var env = SqlJobs.Environment(parallelism);
        View(env, "L", lefts);
        View(env, "R", rights);
        var query = $"""
            SELECT l.Id, r.Id
            FROM (SELECT * FROM TABLE(TUMBLE(TABLE L, DESCRIPTOR(Ts), INTERVAL '2' SECOND))) l
            {kind} JOIN (SELECT * FROM TABLE(TUMBLE(TABLE R, DESCRIPTOR(Ts), INTERVAL '2' SECOND))) r
            ON l.window_start = r.window_start AND l.window_end = r.window_end AND l.K = r.K
            """;

        var plan = await Explain(env, query);
        Assert.Contains("WindowJoin(joinType=[", plan, StringComparison.Ordinal);
        Assert.Contains("leftWindow=[window_start, window_end]", plan, StringComparison.Ordinal);
        var changes = await SqlJobs.RunAsync(env, query);

        Assert.All(changes, c => Assert.Equal(RowKind.Insert, c.Kind));
        static long Window(Event e) => Millis(e.Ts) / 2000;
        var expected = Expected(kind, lefts, rights, (l, r) => l.K == r.K && Window(l) == Window(r), l => l.Id, r => r.Id);
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    /// <summary>Nexmark q8's shape: the windows of two window aggregations, renamed, joined per window.</summary>
    [Fact]
    public async Task WindowJoin_OfTwoWindowAggregations_IsAWindowJoinAndEqualsDirectComputation()
    {
        var lefts = Events(300, 6, seed: 13);
        var rights = Events(300, 6, seed: 14);
        var env = SqlJobs.Environment(2);
        View(env, "L", lefts);
        View(env, "R", rights);
        const string query = """
            SELECT P.K, P.n, A.n
            FROM (SELECT K, COUNT(*) AS n, window_start AS starttime, window_end AS endtime
                  FROM TABLE(TUMBLE(TABLE L, DESCRIPTOR(Ts), INTERVAL '3' SECOND)) GROUP BY K, window_start, window_end) P
            LEFT JOIN (SELECT K, COUNT(*) AS n, window_start AS starttime, window_end AS endtime
                  FROM TABLE(TUMBLE(TABLE R, DESCRIPTOR(Ts), INTERVAL '3' SECOND)) GROUP BY K, window_start, window_end) A
            ON P.K = A.K AND P.starttime = A.starttime AND P.endtime = A.endtime
            """;

        Assert.Contains("WindowJoin(joinType=[Left], leftWindow=[starttime, endtime]", await Explain(env, query), StringComparison.Ordinal);
        var changes = await SqlJobs.RunAsync(env, query);

        Assert.All(changes, c => Assert.Equal(RowKind.Insert, c.Kind));
        var leftCounts = lefts.GroupBy(e => (e.K, Window: Millis(e.Ts) / 3000)).ToDictionary(g => g.Key, g => (long)g.Count());
        var rightCounts = rights.GroupBy(e => (e.K, Window: Millis(e.Ts) / 3000)).ToDictionary(g => g.Key, g => (long)g.Count());
        var expected = leftCounts.Select(l => new object?[] { l.Key.K, l.Value, rightCounts.TryGetValue(l.Key, out var n) ? n : null });
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task WindowJoin_HopWithResidualCondition_JoinsEachWindowOfARow()
    {
        var lefts = Events(200, 3, seed: 9);
        var rights = Events(200, 3, seed: 10);
        var env = SqlJobs.Environment(2);
        View(env, "L", lefts);
        View(env, "R", rights);
        const string query = """
            SELECT l.Id, r.Id
            FROM (SELECT * FROM TABLE(HOP(TABLE L, DESCRIPTOR(Ts), INTERVAL '1' SECOND, INTERVAL '3' SECOND))) l
            JOIN (SELECT * FROM TABLE(HOP(TABLE R, DESCRIPTOR(Ts), INTERVAL '1' SECOND, INTERVAL '3' SECOND))) r
            ON l.window_start = r.window_start AND l.window_end = r.window_end AND l.K = r.K AND l.Id < r.Id
            """;

        var changes = await SqlJobs.RunAsync(env, query);

        // Both rows are in the windows starting at s, s + 1 s, s + 2 s before their times: they share as many
        // windows as 3 − (distance in whole seconds of their window indexes), when positive.
        var expected = new List<object?[]>();
        foreach (var l in lefts)
        {
            foreach (var r in rights.Where(r => r.K == l.K && l.Id < r.Id))
            {
                var shared = 3 - Math.Abs((Millis(l.Ts) / 1000) - (Millis(r.Ts) / 1000));
                for (var i = 0; i < shared; i++)
                {
                    expected.Add([l.Id, r.Id]);
                }
            }
        }

        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IntervalJoin_TaskFailure_RestoresStateFromACheckpointAndLosesNoPair(bool rocksDb)
    {
        const int count = 8_000;
        var failed = 0;
        JobHandle? job = null;
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
        static Event Left(long i) => new(i, i % 7, Start.AddMilliseconds(i * 100));
        static Event Right(long i) => new(i, i % 7, Start.AddMilliseconds((i * 100) + 350));
        var strategy = WatermarkStrategy.ForMonotonousTimestamps<Event>().WithTimestampAssigner((e, _) => Millis(e.Ts));
        var lefts = env.FromGenerator(Left, count, strategy, recordsPerSecond: 4_000).SetParallelism(1)
            .Map(e =>
            {
                // Fails once, past a third of the input and after a checkpoint completed, so the restart restores state.
                if (e.Id >= count / 3 && Volatile.Read(ref job) is { } running && running.GetCheckpointMetrics().Completed >= 1
                    && Interlocked.Exchange(ref failed, 1) == 0)
                {
                    throw new InvalidOperationException("injected failure");
                }

                return e;
            })
            .SetParallelism(1);
        var rights = env.FromGenerator(Right, count, strategy, recordsPerSecond: 4_000).SetParallelism(1);
        env.Sql.CreateTemporaryView("L", lefts, rowtimeColumn: "Ts");
        env.Sql.CreateTemporaryView("R", rights, rowtimeColumn: "Ts");
        var table = env.Sql.SqlQuery("SELECT l.Id, r.Id FROM L l JOIN R r ON l.K = r.K AND r.Ts BETWEEN l.Ts AND l.Ts + INTERVAL '1' SECOND");
        var sink = new CollectingSink<Change<Row>>();
        env.Sql.ToChangelogStream(table).SinkTo(sink).SetParallelism(1);

        Volatile.Write(ref job, await env.ExecuteAsync("interval join restore"));
        await job!.Completion.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1, job.GetCheckpointMetrics().Restarts);
        Assert.NotNull(job.RestoredFrom);
        // The collecting sink is not transactional, so rows after the checkpoint may come twice; none may be missing.
        var expected = new List<object?[]>();
        for (long l = 0; l < count; l++)
        {
            for (var r = Math.Max(0, l - 4); r < Math.Min(count, l + 8); r++)
            {
                var distance = (r * 100) + 350 - (l * 100);
                if (r % 7 == l % 7 && distance is >= 0 and <= 1000)
                {
                    expected.Add([l, r]);
                }
            }
        }

        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Sorted(sink.Results.Select(c => c.Row).Distinct()));
    }

    private const string OrdersTable = """
        CREATE TABLE orders (id BIGINT, currency STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
        WITH ('connector' = 'freshet-log', 'topic' = 'orders', 'format' = 'json', 'scan.bounded.mode' = 'latest-offset')
        """;

    private const string RatesTable = """
        CREATE TABLE rates (currency STRING, rate BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND,
          PRIMARY KEY (currency) NOT ENFORCED)
        WITH ('connector' = 'freshet-log', 'topic' = 'rates', 'key.format' = 'json', 'value.format' = 'json', 'scan.bounded.mode' = 'latest-offset')
        """;

    [Theory]
    [InlineData("JOIN", 1)]
    [InlineData("LEFT JOIN", 2)]
    public async Task TemporalJoin_EventTime_JoinsTheVersionValidAtEachOrdersTime(string kind, int parallelism)
    {
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        var sql = SqlEnvironment.Create(SqlJobs.Environment(parallelism), new SqlEnvironmentOptions { LogStore = store });
        await sql.ExecuteSqlAsync(OrdersTable);
        await sql.ExecuteSqlAsync(RatesTable);
        string[] currencies = ["EUR", "GBP", "JPY", "CHF"];
        var random = new Random(11);
        // Rates change every 500 ms per currency from 1 s on (CHF never has one); orders are out of order within 900 ms.
        var rates = Enumerable.Range(0, 60).Select(i => (Currency: currencies[i % 3], Rate: (long)random.Next(100, 200), Ts: Start.AddMilliseconds(1000 + (i * 500L / 3 * 3)))).ToArray();
        var orders = Enumerable.Range(0, 300).Select(i => (Id: (long)i, Currency: currencies[random.Next(4)], Ts: Start.AddMilliseconds((i * 40L) + random.Next(900)))).ToArray();
        await Completed(await sql.ExecuteSqlAsync("INSERT INTO rates VALUES " + string.Join(", ", rates.Select(r => $"('{r.Currency}', {r.Rate}, TIMESTAMP '{r.Ts:yyyy-MM-dd HH:mm:ss.fff}')"))));
        await Completed(await sql.ExecuteSqlAsync("INSERT INTO orders VALUES " + string.Join(", ", orders.Select(o => $"({o.Id}, '{o.Currency}', TIMESTAMP '{o.Ts:yyyy-MM-dd HH:mm:ss.fff}')"))));
        var query = $"SELECT o.id, r.rate FROM orders AS o {kind} rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.currency = r.currency";

        var plan = await Rows(await sql.ExecuteSqlAsync("EXPLAIN " + query));
        Assert.Contains("TemporalJoin(joinType=[", plan[0], StringComparison.Ordinal);
        Assert.Contains("time=[rowtime: ts], leftKeys=[currency], rightKeys=[currency]", plan[0], StringComparison.Ordinal);
        var changes = await Changes(await sql.ExecuteSqlAsync(query));

        Assert.All(changes, c => Assert.Equal(RowKind.Insert, c.Kind));
        var expected = new List<object?[]>();
        foreach (var order in orders)
        {
            var version = rates.Where(r => r.Currency == order.Currency && r.Ts <= order.Ts).OrderBy(r => r.Ts).Select(r => (long?)r.Rate).LastOrDefault();
            if (version is not null || kind == "LEFT JOIN")
            {
                expected.Add([order.Id, version]);
            }
        }

        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task TemporalJoin_ProcessingTime_JoinsARateOfTheOrdersCurrencyOrPads()
    {
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        var sql = SqlEnvironment.Create(SqlJobs.Environment(2), new SqlEnvironmentOptions { LogStore = store });
        await sql.ExecuteSqlAsync(RatesTable);
        await sql.ExecuteSqlAsync("""
            CREATE TABLE porders (id BIGINT, currency STRING, pt AS PROCTIME())
            WITH ('connector' = 'freshet-log', 'topic' = 'porders', 'format' = 'json', 'scan.bounded.mode' = 'latest-offset')
            """);
        await Completed(await sql.ExecuteSqlAsync("INSERT INTO rates VALUES ('EUR', 110, TIMESTAMP '2026-01-01 00:00:00'), ('GBP', 120, TIMESTAMP '2026-01-01 00:00:00')"));
        await Completed(await sql.ExecuteSqlAsync("INSERT INTO porders VALUES " + string.Join(", ", Enumerable.Range(0, 50).Select(i => $"({i}, '{(i % 3 == 0 ? "EUR" : i % 3 == 1 ? "GBP" : "USD")}')"))));
        const string query = "SELECT o.id, o.currency, r.rate FROM porders AS o LEFT JOIN rates FOR SYSTEM_TIME AS OF o.pt AS r ON o.currency = r.currency";

        var plan = await Rows(await sql.ExecuteSqlAsync("EXPLAIN " + query));
        Assert.Contains("TemporalJoin(joinType=[Left], time=[proctime: pt]", plan[0], StringComparison.Ordinal);
        var changes = await Changes(await sql.ExecuteSqlAsync(query));

        // Which rates an order sees depends on when they arrived, but each order comes out once, with its own
        // currency's rate or NULL, and USD never has one.
        Assert.Equal(50, changes.Count);
        Assert.All(changes, c =>
        {
            Assert.Equal(RowKind.Insert, c.Kind);
            Assert.True(c.Row[2] is null || c.Row[2] is 110L && (string)c.Row[1]! == "EUR" || c.Row[2] is 120L && (string)c.Row[1]! == "GBP", c.ToString());
        });
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), changes.Select(c => (long)c.Row[0]!).Order());
    }

    /// <summary>Nexmark q13's shape: a processing-time temporal join of the bid stream with a bounded side input in
    /// a file, on an expression of the bid.</summary>
    [Fact]
    public async Task TemporalJoin_NexmarkQ13ShapeAgainstAFileTable_IsALookupJoinOfEveryBidWithItsKeysValue()
    {
        var file = Path.Combine(_root, "side_input.csv");
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, 10).Where(k => k != 7).Select(k => $"{k},value-{k}"));
        var env = SqlJobs.Environment(2);
        var bids = Events(200, 25, seed: 12);
        View(env, "bid", bids);
        await env.Sql.ExecuteSqlAsync($"CREATE TABLE side_input (key BIGINT, `value` VARCHAR) WITH ('connector' = 'filesystem', 'path' = '{file}', 'format' = 'csv')");
        const string query = """
            SELECT B.Id, B.K, B.Ts, S.`value`
            FROM (SELECT *, PROCTIME() AS p_time FROM bid) B
            {0} JOIN side_input FOR SYSTEM_TIME AS OF B.p_time AS S
            ON MOD(B.K, 10) = S.key
            """;

        Assert.Contains("LookupJoin(table=[side_input], joinType=[Inner]", await Explain(env, string.Format(query, "")), StringComparison.Ordinal);
        var changes = await SqlJobs.RunAsync(env, string.Format(query, ""));

        // The file is read whole at the first lookup: every bid whose key is in it joins its row, however early it arrives.
        var expected = bids.Where(b => b.K % 10 != 7).Select(b => new object?[] { b.Id, b.K, b.Ts, $"value-{b.K % 10}" });
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));

        var left = SqlJobs.Environment(2);
        View(left, "bid", bids);
        await left.Sql.ExecuteSqlAsync($"CREATE TABLE side_input (key BIGINT, `value` VARCHAR) WITH ('connector' = 'filesystem', 'path' = '{file}', 'format' = 'csv')");
        var padded = await SqlJobs.RunAsync(left, string.Format(query, "LEFT"));
        var expectedLeft = bids.Select(b => new object?[] { b.Id, b.K, b.Ts, b.K % 10 == 7 ? null : $"value-{b.K % 10}" });
        Assert.Equal(SqlJobs.Sorted(expectedLeft), SqlJobs.Materialize(padded));
    }

    [Theory]
    [InlineData("SELECT * FROM orders AS o JOIN orders FOR SYSTEM_TIME AS OF o.ts AS r ON o.id = r.id", "must be a versioned table")]
    [InlineData("SELECT * FROM orders AS o FULL JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.currency = r.currency", "must be an INNER or LEFT JOIN")]
    [InlineData("SELECT * FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.id AS r ON o.currency = r.currency", "must name a time attribute of the left table")]
    [InlineData("SELECT * FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.ts AS r ON o.id = r.rate", "primary key column 'currency' must be in an equality")]
    [InlineData("SELECT * FROM rates FOR SYSTEM_TIME AS OF TIMESTAMP '2026-01-01 00:00:00'", "only allowed on the right side of a join")]
    public async Task TemporalJoin_WhatFlinkRefuses_IsRefusedByName(string query, string problem)
    {
        using var store = LogStore.Open(Path.Combine(_root, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        store.CreateTopic("orders", 1);
        store.CreateTopic("rates", 1);
        var sql = SqlEnvironment.Create(SqlJobs.Environment(), new SqlEnvironmentOptions { LogStore = store });
        await sql.ExecuteSqlAsync(OrdersTable);
        await sql.ExecuteSqlAsync(RatesTable);

        var error = await Assert.ThrowsAsync<SqlValidationException>(() => sql.ExecuteSqlAsync(query));

        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    private static Task<string> Explain(StreamEnvironment env, string query) => Task.FromResult(env.Sql.SqlQuery(query).Explain());

    private static async Task<List<string>> Rows(SqlResult result)
    {
        var rows = new List<string>();
        await foreach (var change in result.ReadChangesAsync())
        {
            rows.Add(change.Row.ToString());
        }

        return rows;
    }

    private static async Task<List<Change<Row>>> Changes(SqlResult result)
    {
        await using (result)
        {
            var changes = new List<Change<Row>>();
            await foreach (var change in result.ReadChangesAsync())
            {
                changes.Add(change);
            }

            return changes;
        }
    }

    private static async Task Completed(SqlResult result)
    {
        await using (result)
        {
            await result.Job!.Completion.WaitAsync(TimeSpan.FromMinutes(1));
        }
    }
}
