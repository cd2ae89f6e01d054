using Freshet.Streaming;
using Freshet.Sql.Typing;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Time;

namespace Freshet.Sql.Tests.Planning;

public sealed class SqlQueryTests
{
    public sealed record Bid(long Auction, long Bidder, long Price, string Channel, DateTime DateTime);

    public sealed record Person(long Id, string Name, string State);

    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0);

    private static Bid[] Bids(int count, int seed = 7)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => new Bid(
            random.Next(10), random.Next(20), random.Next(1, 1000), random.Next(3) switch { 0 => "apple", 1 => "google", _ => "baidu" },
            Start.AddMilliseconds(i * 250L))).ToArray();
    }

    private static StreamEnvironment WithBids(Bid[] bids, int parallelism = 1)
    {
        var env = SqlJobs.Environment(parallelism);
        var stream = env.FromCollection(bids, WatermarkStrategy.ForMonotonousTimestamps<Bid>().WithTimestampAssigner((b, _) => new DateTimeOffset(b.DateTime, TimeSpan.Zero).ToUnixTimeMilliseconds()));
        env.Sql.CreateTemporaryView("bid", stream, rowtimeColumn: "DateTime");
        return env;
    }

    [Fact]
    public async Task Calc_FilterAndArithmetic_EqualsLinq()
    {
        var bids = Bids(500);
        var changes = await SqlJobs.RunAsync(WithBids(bids), "SELECT Auction, Price * 908 / 1000 AS euro FROM bid WHERE Price > 500 AND Channel <> 'apple'");
        Assert.All(changes, c => Assert.Equal(RowKind.Insert, c.Kind));
        var expected = bids.Where(b => b.Price > 500 && b.Channel != "apple").Select(b => new object?[] { b.Auction, b.Price * 908 / 1000 });
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task GroupAggregate_CountSumMinMaxAvgDistinct_FinalRowsEqualLinq(int parallelism)
    {
        var bids = Bids(2000);
        var changes = await SqlJobs.RunAsync(WithBids(bids, parallelism),
            "SELECT Auction, COUNT(*), SUM(Price), MIN(Price), MAX(Price), AVG(Price), COUNT(DISTINCT Bidder) FROM bid GROUP BY Auction");
        Assert.Contains(changes, c => c.Kind == RowKind.UpdateBefore);
        var expected = bids.GroupBy(b => b.Auction).Select(g => new object?[]
        {
            g.Key, (long)g.Count(), g.Sum(b => b.Price), g.Min(b => b.Price), g.Max(b => b.Price), g.Sum(b => b.Price) / g.Count(), (long)g.Select(b => b.Bidder).Distinct().Count(),
        });
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task GroupAggregate_HavingAndExpressionsOverKeys_RetractsRowsThatStopPassing()
    {
        var bids = Bids(1000);
        var changes = await SqlJobs.RunAsync(WithBids(bids), "SELECT Channel, COUNT(*) * 2 AS twice FROM bid GROUP BY Channel HAVING MAX(Price) > 990");
        var expected = bids.GroupBy(b => b.Channel).Where(g => g.Max(b => b.Price) > 990).Select(g => new object?[] { g.Key, (long)g.Count() * 2 });
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    [Theory]
    [InlineData("TUMBLE(TABLE bid, DESCRIPTOR(DateTime), INTERVAL '10' SECOND)", 10_000, 10_000)]
    [InlineData("HOP(TABLE bid, DESCRIPTOR(DateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND)", 2_000, 10_000)]
    public async Task WindowAggregate_TumbleAndHop_EachWindowOnceAsInsert(string window, long slide, long size)
    {
        var bids = Bids(1000);
        var changes = await SqlJobs.RunAsync(WithBids(bids),
            $"SELECT Auction, window_start, window_end, COUNT(*) AS n, MAX(Price) FROM TABLE({window}) GROUP BY Auction, window_start, window_end");
        Assert.All(changes, c => Assert.Equal(RowKind.Insert, c.Kind));
        var expected = new List<object?[]>();
        var byWindow = bids.SelectMany(b =>
        {
            var t = Millis(b);
            var windows = new List<(long, long)>();
            for (var s = t - (t % slide); s > t - size; s -= slide)
            {
                windows.Add((s, s + size));
            }

            return windows.Select(w => (b, w));
        }).GroupBy(x => (x.b.Auction, x.w));
        foreach (var group in byWindow)
        {
            expected.Add([group.Key.Auction, DateTime.UnixEpoch.AddMilliseconds(group.Key.w.Item1), DateTime.UnixEpoch.AddMilliseconds(group.Key.w.Item2), (long)group.Count(), group.Max(x => x.b.Price)]);
        }

        Assert.Equal(SqlJobs.Sorted(expected.Select(Unspecified)), SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task WindowAggregate_Cumulate_EmitsEachStepOfTheWindow()
    {
        var bids = Bids(400);
        var changes = await SqlJobs.RunAsync(WithBids(bids),
            "SELECT window_start, window_end, COUNT(*) FROM TABLE(CUMULATE(TABLE bid, DESCRIPTOR(DateTime), INTERVAL '5' SECOND, INTERVAL '20' SECOND)) GROUP BY window_start, window_end");
        var epoch = Millis(bids[0]);
        var expected = new List<object?[]>();
        var last = epoch + (400 * 250);
        for (var start = epoch; start < last; start += 20_000)
        {
            for (var end = start + 5_000; end <= start + 20_000; end += 5_000)
            {
                var s = start;
                var e = end;
                var count = bids.LongCount(b => Millis(b) >= s && Millis(b) < e);
                if (count > 0)
                {
                    expected.Add([DateTime.UnixEpoch.AddMilliseconds(start), DateTime.UnixEpoch.AddMilliseconds(end), count]);
                }
            }
        }

        Assert.Equal(SqlJobs.Sorted(expected.Select(Unspecified)), SqlJobs.Materialize(changes));
    }

    [Theory]
    [InlineData("JOIN")]
    [InlineData("LEFT JOIN")]
    [InlineData("FULL JOIN")]
    public async Task Join_OnEqualityWithResidual_FinalRowsEqualLinq(string join)
    {
        var bids = Bids(300);
        var people = Enumerable.Range(0, 25).Select(i => new Person(i, $"p{i}", i % 3 == 0 ? "OR" : "CA")).ToArray();
        var env = WithBids(bids, parallelism: 2);
        env.Sql.CreateTemporaryView("person", env.FromCollection(people));
        var changes = await SqlJobs.RunAsync(env, $"SELECT p.Name, b.Price FROM person AS p {join} bid AS b ON p.Id = b.Bidder AND b.Price > 900");
        var matches = people.SelectMany(p => bids.Where(b => b.Bidder == p.Id && b.Price > 900).Select(b => new object?[] { p.Name, b.Price })).ToList();
        if (join != "JOIN")
        {
            matches.AddRange(people.Where(p => !bids.Any(b => b.Bidder == p.Id && b.Price > 900)).Select(p => new object?[] { p.Name, null }));
        }

        if (join == "FULL JOIN")
        {
            matches.AddRange(bids.Where(b => !(b.Price > 900 && people.Any(p => p.Id == b.Bidder))).Select(b => new object?[] { null, b.Price }));
        }

        Assert.Equal(SqlJobs.Sorted(matches), SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task UnionAndDistinct_KeepOneRowPerValue()
    {
        var bids = Bids(200);
        var all = await SqlJobs.RunAsync(WithBids(bids), "SELECT Channel FROM bid UNION ALL SELECT Channel FROM bid");
        Assert.Equal(400, SqlJobs.Materialize(all).Count);
        var distinct = await SqlJobs.RunAsync(WithBids(bids), "SELECT Channel FROM bid UNION SELECT 'other'");
        Assert.Equal(SqlJobs.Sorted(bids.Select(b => b.Channel).Append("other").Distinct().Select(c => new object?[] { c })), SqlJobs.Materialize(distinct));
        var selectDistinct = await SqlJobs.RunAsync(WithBids(bids), "SELECT DISTINCT Auction FROM bid");
        Assert.Equal(SqlJobs.Sorted(bids.Select(b => b.Auction).Distinct().Select(a => new object?[] { a })), SqlJobs.Materialize(selectDistinct));
    }

    [Fact]
    public async Task Values_WithoutFrom_GivesConstantRows()
    {
        var changes = await SqlJobs.RunAsync(SqlJobs.Environment(), "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(x, y) WHERE x > 1");
        Assert.Equal(["2, b"], SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task ChangelogView_GroupByOverUpdatesAndDeletes_RetractsCorrectly()
    {
        var env = SqlJobs.Environment();
        var changes = new[]
        {
            Change.Insert(new Row("a", 1L)), Change.Insert(new Row("b", 5L)), Change.UpdateBefore(new Row("a", 1L)),
            Change.UpdateAfter(new Row("a", 7L)), Change.Delete(new Row("b", 5L)), Change.Insert(new Row("c", 2L)),
        };
        env.Sql.CreateTemporaryView("t", env.FromCollection(changes), [new SqlColumn("k", SqlType.String), new SqlColumn("v", SqlType.BigInt)]);
        var result = await SqlJobs.RunAsync(env, "SELECT COUNT(*), SUM(v), MAX(v) FROM t");
        Assert.Equal(["2, 9, 7"], SqlJobs.Materialize(result));
    }

    [Theory]
    [InlineData("SELECT Auction, RANK() OVER (PARTITION BY Auction ORDER BY Price DESC) AS r FROM bid", "RANK() OVER does not run yet; Top-N and deduplication run with ROW_NUMBER()")]
    [InlineData("SELECT Auction, ROW_NUMBER() OVER (PARTITION BY Auction ORDER BY Price DESC) FROM bid", "ROW_NUMBER() OVER runs only as Top-N or deduplication: number rows in a subquery and bound the number in the enclosing WHERE (rn <= N)")]
    public void SqlQuery_FeatureThatDoesNotRunYet_IsRefusedByName(string query, string problem)
    {
        var env = WithBids(Bids(10));
        var error = Assert.ThrowsAny<SqlException>(() => env.Sql.SqlQuery(query));
        Assert.Equal(problem, error.Problem);
        Assert.True(error.Line >= 1);
    }

    public sealed record Click(long User);

    [Fact]
    public async Task WindowAggregate_ProcessingTimeTumble_FiresOnTheClockWhileAnUnboundedInputRuns()
    {
        // An unbounded input without watermarks: only processing-time timers can close its windows.
        var env = SqlJobs.Environment(2);
        env.Sql.CreateTemporaryView("click", env.FromGenerator(static i => new Click(i % 3), recordsPerSecond: 2_000));
        await env.Sql.ExecuteSqlAsync("CREATE VIEW timed_click AS SELECT *, PROCTIME() AS pt FROM click");
        var table = env.Sql.SqlQuery("""
            SELECT User, window_start, window_end, COUNT(*) AS clicks
            FROM TABLE(TUMBLE(TABLE timed_click, DESCRIPTOR(pt), INTERVAL '1' SECOND))
            GROUP BY User, window_start, window_end
            """);
        var sink = new Freshet.Streaming.Connectors.Collections.CollectingSink<Change<Row>>();
        env.Sql.ToChangelogStream(table).SinkTo(sink).SetParallelism(1);
        var job = await env.ExecuteAsync("proctime windows");
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (sink.Results.Select(c => c.Row[1]).Distinct().Count() < 2 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
        finally
        {
            await job.CancelAsync();
        }

        var rows = sink.Results;
        Assert.True(rows.Select(c => c.Row[1]).Distinct().Count() >= 2, $"{rows.Count} window rows while the job ran");
        Assert.All(rows, c =>
        {
            Assert.Equal(RowKind.Insert, c.Kind);
            Assert.Equal(TimeSpan.FromSeconds(1), ((DateTime)c.Row[2]!) - ((DateTime)c.Row[1]!));
            Assert.True((long)c.Row[3]! > 0);
        });

        // Each (user, window) is emitted once.
        Assert.Equal(rows.Count, rows.Select(c => (c.Row[0], c.Row[1])).Distinct().Count());
    }

    [Fact]
    public async Task ExecuteSqlAsync_SessionStatements_AnswerAsRows()
    {
        var env = SqlJobs.Environment();
        var sql = env.Sql;
        Assert.Equal(SqlResultKind.Success, (await sql.ExecuteSqlAsync("CREATE TABLE t (a INT, b STRING) WITH ('connector' = 'kafka', 'topic' = 't', 'format' = 'json', 'properties.bootstrap.servers' = '127.0.0.1:9092')")).Kind);
        var tables = await Rows(await sql.ExecuteSqlAsync("SHOW TABLES"));
        Assert.Equal(["t"], tables);
        var columns = await Rows(await sql.ExecuteSqlAsync("DESCRIBE t"));
        Assert.Equal(["a, INT, true, null, null, null", "b, STRING, true, null, null, null"], columns);
        await sql.ExecuteSqlAsync("SET 'parallelism.default' = '2'");
        Assert.Equal(["parallelism.default, 2"], await Rows(await sql.ExecuteSqlAsync("SET")));
        var error = await Assert.ThrowsAsync<SqlValidationException>(() => sql.ExecuteSqlAsync("SET 'parallelism.defualt' = '2'"));
        Assert.StartsWith("Unknown setting 'parallelism.defualt'", error.Problem, StringComparison.Ordinal);
        var plan = await Rows(await sql.ExecuteSqlAsync("EXPLAIN SELECT a, COUNT(*) FROM t GROUP BY a"));
        Assert.Contains("GroupAggregate(groupBy=[a]", plan[0], StringComparison.Ordinal);
        Assert.Contains("TableSourceScan(table=[t]", plan[0], StringComparison.Ordinal);
    }

    /// <summary>A WHERE over a comma join is the join condition (as Flink's FilterJoinRule makes it): its equality is the
    /// join key, not a filter over a cross product run in one key (which made Nexmark q4 quadratic).</summary>
    [Fact]
    public async Task CommaJoin_WhereEquality_IsTheJoinKeyAndJoinsLikeOn()
    {
        const string values = "CREATE VIEW l AS SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (2, 'c'), (3, 'd')) AS t(k, v)";
        const string others = "CREATE VIEW r AS SELECT * FROM (VALUES (2, 10), (3, 20), (3, 30), (4, 40)) AS t(k, w)";
        var env = SqlJobs.Environment();
        await env.Sql.ExecuteSqlAsync(values);
        await env.Sql.ExecuteSqlAsync(others);
        const string comma = "SELECT l.v, r.w FROM l, r WHERE l.k = r.k AND r.w > 10";
        var plan = await Rows(await env.Sql.ExecuteSqlAsync("EXPLAIN " + comma));
        Assert.Contains("Join(joinType=[Inner], leftKeys=[k], rightKeys=[k]", plan[0], StringComparison.Ordinal);

        await using var result = await env.Sql.ExecuteSqlAsync(comma);
        var rows = new List<string>();
        await foreach (var change in result.ReadChangesAsync())
        {
            rows.Add(change.ToString());
        }

        Assert.Equal(["+I[d, 20]", "+I[d, 30]"], rows.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ExecuteSqlAsync_Query_StreamsRowsOfItsOwnJob()
    {
        var env = SqlJobs.Environment();
        await using var result = await env.Sql.ExecuteSqlAsync("SELECT x * 10 FROM (VALUES (1), (2), (3)) AS t(x)");
        Assert.Equal(SqlResultKind.Rows, result.Kind);
        Assert.NotNull(result.Job);
        var rows = new List<string>();
        await foreach (var change in result.ReadChangesAsync())
        {
            rows.Add(change.ToString());
        }

        Assert.Equal(["+I[10]", "+I[20]", "+I[30]"], rows.Order(StringComparer.Ordinal));
    }

    private static async Task<List<string>> Rows(SqlResult result)
    {
        var rows = new List<string>();
        await foreach (var change in result.ReadChangesAsync())
        {
            rows.Add(change.Row.ToString());
        }

        return rows;
    }

    private static long Millis(Bid bid) => new DateTimeOffset(bid.DateTime, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static object?[] Unspecified(object?[] row) =>
        row.Select(v => v is DateTime t ? DateTime.SpecifyKind(t, DateTimeKind.Unspecified) : v).ToArray();
}
