using CsCheck;
using Freshet.Log;
using Freshet.Sql.Typing;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Time;

namespace Freshet.Sql.Tests.Planning;

/// <summary>
/// ROW_NUMBER() patterns end to end through SQL: Top-N over append-only and updating inputs, deduplication, window
/// Top-N and window deduplication, ORDER BY ... LIMIT, Nexmark q18 and q19, and a restore from a savepoint; each
/// result is compared with the same rows computed directly.
/// </summary>
public sealed class SqlTopNTests : IDisposable
{
    public sealed record Bid(long Auction, long Bidder, long Price, string Channel, string Url, DateTime DateTime, string Extra);

    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0);

    private readonly string _directory = Directory.CreateTempSubdirectory("freshet-sql-topn-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Bids with distinct prices (a permutation), so every ORDER BY price has one answer.</summary>
    private static Bid[] Bids(int count, int auctions = 10, int seed = 11)
    {
        var random = new Random(seed);
        var prices = Enumerable.Range(1, count).OrderBy(_ => random.Next()).ToArray();
        return Enumerable.Range(0, count).Select(i => new Bid(
            random.Next(auctions), random.Next(5), prices[i], random.Next(2) == 0 ? "apple" : "baidu", "u" + i,
            Start.AddMilliseconds(i * 250L), string.Empty)).ToArray();
    }

    private static StreamEnvironment WithBids(Bid[] bids, int parallelism = 1)
    {
        var env = SqlJobs.Environment(parallelism);
        var stream = env.FromCollection(bids, WatermarkStrategy.ForBoundedOutOfOrderness<Bid>(TimeSpan.FromSeconds(5))
            .WithTimestampAssigner((b, _) => new DateTimeOffset(b.DateTime, TimeSpan.Zero).ToUnixTimeMilliseconds()));
        env.Sql.CreateTemporaryView("bid", stream, rowtimeColumn: "DateTime");
        return env;
    }

    private static IEnumerable<object?[]> TopByPrice(IEnumerable<Bid> bids, int n, bool withNumber) =>
        bids.GroupBy(b => b.Auction).SelectMany(g => g.OrderByDescending(b => b.Price).Take(n)
            .Select((b, i) => withNumber ? new object?[] { b.Auction, b.Price, (long)i + 1 } : [b.Auction, b.Price]));

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(2, false)]
    public async Task TopN_AppendOnlyInput_FinalRowsEqualTopPerPartition(int parallelism, bool withNumber)
    {
        var bids = Bids(1500);
        var select = withNumber ? "Auction, Price, rn" : "Auction, Price";
        var changes = await SqlJobs.RunAsync(WithBids(bids, parallelism),
            $"SELECT {select} FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY Auction ORDER BY Price DESC) AS rn FROM bid) WHERE rn <= 3");
        Assert.Equal(SqlJobs.Sorted(TopByPrice(bids, 3, withNumber)), SqlJobs.Materialize(changes));
        if (withNumber)
        {
            Assert.Contains(changes, c => c.Kind == RowKind.UpdateBefore);
        }
        else
        {
            // Without the number a row moving down within the top is not an update: only rows entering and leaving.
            Assert.All(changes, c => Assert.True(c.Kind is RowKind.Insert or RowKind.Delete, c.ToString()));
            var numbered = await SqlJobs.RunAsync(WithBids(bids, parallelism),
                "SELECT Auction, Price, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY Auction ORDER BY Price DESC) AS rn FROM bid) WHERE rn <= 3");
            Assert.True(changes.Count < numbered.Count, $"{changes.Count} changes without the number, {numbered.Count} with it");
        }
    }

    [Theory]
    [InlineData("rn < 4", 1, 3)]
    [InlineData("rn BETWEEN 2 AND 4", 2, 4)]
    [InlineData("rn = 2 AND Price > 100", 2, 2)]
    public async Task TopN_OtherBoundsAndResidualFilter_KeepThoseRowNumbers(string where, int from, int to)
    {
        var bids = Bids(800);
        var changes = await SqlJobs.RunAsync(WithBids(bids, 2),
            $"SELECT Auction, Price, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY Auction ORDER BY Price ASC) AS rn FROM bid) WHERE {where}");
        var expected = bids.GroupBy(b => b.Auction).SelectMany(g => g.OrderBy(b => b.Price).Select((b, i) => (b, Number: (long)i + 1)))
            .Where(x => x.Number >= from && x.Number <= to && (!where.Contains("Price", StringComparison.Ordinal) || x.b.Price > 100))
            .Select(x => new object?[] { x.b.Auction, x.b.Price, x.Number });
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    // An operation on row id: (id, group, value); a value of null deletes the row.
    private static readonly Gen<(int Id, int Group, long? Value)[]> Operations =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 2], Gen.Long[0, 6], Gen.Int[0, 4]).Select((id, g, v, d) => (id, g, d == 0 ? (long?)null : v)).Array[1, 40];

    /// <summary>Random inserts, updates and deletes (values with many ties) through Top-2 and rows 2-3 per group, with
    /// and without the row number: after a random prefix and after the whole changelog, the materialised result is the
    /// ranking of the rows the prefix leaves, ties in the order the rows arrived.</summary>
    [Theory]
    [InlineData("rn <= 2", true)]
    [InlineData("rn <= 2", false)]
    [InlineData("rn BETWEEN 2 AND 3", false)]
    public void TopN_RandomChangelog_EqualsDirectRankingAfterEachPrefix(string bound, bool withNumber)
    {
        var (from, to) = bound == "rn <= 2" ? (1, 2) : (2, 3);
        Operations.Select(Gen.Int[1, 100]).Sample((operations, cutPercent) =>
        {
            var changes = Changelog(operations);
            foreach (var cut in new[] { changes.Count * cutPercent / 100, changes.Count })
            {
                var prefix = changes.Take(cut).ToArray();
                var env = SqlJobs.Environment();
                env.Sql.CreateTemporaryView("t", env.FromCollection(prefix),
                    [new SqlColumn("id", SqlType.Int.WithNullable(false)), new SqlColumn("grp", SqlType.BigInt.WithNullable(false)), new SqlColumn("v", SqlType.BigInt.WithNullable(false))]);
                var select = withNumber ? "id, grp, v, rn" : "id, grp, v";
                var result = SqlJobs.Materialize(SqlJobs.RunAsync(env,
                    $"SELECT {select} FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY v DESC) AS rn FROM t) WHERE {bound}").GetAwaiter().GetResult());

                var expected = Apply(prefix).GroupBy(r => (long)r[1]!).SelectMany(g => g.OrderByDescending(r => (long)r[2]!)
                    .Select((r, i) => (Row: r, Number: (long)i + 1)).Where(x => x.Number >= from && x.Number <= to)
                    .Select(x => withNumber ? new object?[] { x.Row[0], x.Row[1], x.Row[2], x.Number } : [x.Row[0], x.Row[1], x.Row[2]]));
                Assert.Equal(SqlJobs.Sorted(expected), result);
            }
        }, iter: 25, threads: 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TopN_UpdatingInputFromGroupBy_RetractionsMoveRowsInAndOut(bool rocksDb)
    {
        var bids = Bids(1000, auctions: 30);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            BufferTimeout = TimeSpan.FromMilliseconds(5),
            StateBackend = rocksDb ? Streaming.State.StateBackend.RocksDb(Path.Combine(_directory, "rocks")) : Streaming.State.StateBackend.Heap,
        });
        env.Sql.CreateTemporaryView("bid", env.FromCollection(bids), rowtimeColumn: null);
        var changes = await SqlJobs.RunAsync(env,
            "SELECT Channel, Auction, total FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY Channel ORDER BY total DESC, Auction) AS rn "
            + "FROM (SELECT Channel, Auction, SUM(Price) AS total FROM bid GROUP BY Channel, Auction)) WHERE rn <= 3");
        var expected = bids.GroupBy(b => (b.Channel, b.Auction)).Select(g => (g.Key.Channel, g.Key.Auction, Total: g.Sum(b => b.Price)))
            .GroupBy(x => x.Channel).SelectMany(g => g.OrderByDescending(x => x.Total).ThenBy(x => x.Auction).Take(3))
            .Select(x => new object?[] { x.Channel, x.Auction, x.Total });
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
        Assert.Contains(changes, c => c.Kind == RowKind.Delete);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Deduplicate_RowtimeKeepLastAndFirst_KeepsLatestAndEarliestRowPerKey(int parallelism)
    {
        // Timestamps out of order within 5 s, so keeping the first row by rowtime must replace rows too.
        var random = new Random(3);
        var bids = Bids(600).Select(b => b with { DateTime = b.DateTime.AddMilliseconds(random.Next(0, 4000)) }).ToArray();
        var last = await SqlJobs.RunAsync(WithBids(bids, parallelism),
            "SELECT Auction, Bidder, Price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY Bidder, Auction ORDER BY DateTime DESC) AS rn FROM bid) WHERE rn <= 1");
        var expectedLast = bids.Select((b, i) => (b, i)).GroupBy(x => (x.b.Bidder, x.b.Auction))
            .Select(g => g.OrderByDescending(x => x.b.DateTime).ThenByDescending(x => x.i).First().b)
            .Select(b => new object?[] { b.Auction, b.Bidder, b.Price });
        Assert.Equal(SqlJobs.Sorted(expectedLast), SqlJobs.Materialize(last));
        Assert.Contains(last, c => c.Kind == RowKind.UpdateAfter);

        var first = await SqlJobs.RunAsync(WithBids(bids, parallelism),
            "SELECT Auction, Bidder, Price, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY Bidder, Auction ORDER BY DateTime) AS rn FROM bid) WHERE rn = 1");
        var expectedFirst = bids.Select((b, i) => (b, i)).GroupBy(x => (x.b.Bidder, x.b.Auction))
            .Select(g => g.OrderBy(x => x.b.DateTime).ThenBy(x => x.i).First().b)
            .Select(b => new object?[] { b.Auction, b.Bidder, b.Price, 1L });
        Assert.Equal(SqlJobs.Sorted(expectedFirst), SqlJobs.Materialize(first));
    }

    [Fact]
    public async Task Deduplicate_ProctimeKeepFirst_IsAppendOnlyAndKeepsOneRowPerKey()
    {
        var bids = Bids(500);
        var env = WithBids(bids, 2);
        const string query = "SELECT Auction, Bidder FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY Auction, Bidder ORDER BY pt) AS rn FROM (SELECT *, PROCTIME() AS pt FROM bid)) WHERE rn = 1";
        var changes = await SqlJobs.RunAsync(env, query);
        Assert.All(changes, c => Assert.Equal(RowKind.Insert, c.Kind));
        Assert.Equal(SqlJobs.Sorted(bids.Select(b => (b.Auction, b.Bidder)).Distinct().Select(k => new object?[] { k.Auction, k.Bidder })), SqlJobs.Materialize(changes));
        var plan = WithBids(Bids(10)).Sql.SqlQuery(query).Explain();
        Assert.Contains("Deduplicate(keep=[FirstRow], key=[Auction, Bidder], order=[PROCTIME]), changelogMode=[I]", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task WindowTopN_OverTumble_TopThreePerWindowOnceAsInserts(int parallelism)
    {
        var bids = Bids(1200);
        var changes = await SqlJobs.RunAsync(WithBids(bids, parallelism),
            "SELECT window_start, Price, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY Price DESC) AS rn "
            + "FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(DateTime), INTERVAL '10' SECOND))) WHERE rn <= 3");
        Assert.All(changes, c => Assert.Equal(RowKind.Insert, c.Kind));
        var expected = bids.GroupBy(b => Millis(b) / 10_000 * 10_000).SelectMany(g => g.OrderByDescending(b => b.Price).Take(3)
            .Select((b, i) => new object?[] { Unspecified(DateTime.UnixEpoch.AddMilliseconds(g.Key)), b.Price, (long)i + 1 }));
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task WindowTopN_OverWindowAggregate_TopAuctionsByCountPerWindow()
    {
        var bids = Bids(1200);
        var env = WithBids(bids, 2);
        const string query = """
            SELECT window_start, Auction, n FROM (
              SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY n DESC, Auction) AS rn
              FROM (SELECT window_start, window_end, Auction, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(DateTime), INTERVAL '20' SECOND))
                    GROUP BY window_start, window_end, Auction))
            WHERE rn <= 2
            """;
        var changes = await SqlJobs.RunAsync(env, query);
        Assert.All(changes, c => Assert.Equal(RowKind.Insert, c.Kind));
        var expected = bids.GroupBy(b => (Window: Millis(b) / 20_000 * 20_000, b.Auction)).Select(g => (g.Key.Window, g.Key.Auction, N: (long)g.Count()))
            .GroupBy(x => x.Window).SelectMany(g => g.OrderByDescending(x => x.N).ThenBy(x => x.Auction).Take(2)
            .Select(x => new object?[] { Unspecified(DateTime.UnixEpoch.AddMilliseconds(x.Window)), x.Auction, x.N }));
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
        Assert.Contains("WindowRank(window_start=[window_start], window_end=[window_end], rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=2]", WithBids(Bids(10)).Sql.SqlQuery(query).Explain(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WindowDeduplicate_KeepLastRowPerAuctionAndWindow()
    {
        var bids = Bids(900);
        var changes = await SqlJobs.RunAsync(WithBids(bids, 2),
            "SELECT Auction, window_start, Price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end, Auction ORDER BY DateTime DESC) AS rn "
            + "FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(DateTime), INTERVAL '10' SECOND))) WHERE rn <= 1");
        Assert.All(changes, c => Assert.Equal(RowKind.Insert, c.Kind));
        var expected = bids.GroupBy(b => (b.Auction, Window: Millis(b) / 10_000 * 10_000))
            .Select(g => g.Last()).Select(b => new object?[] { b.Auction, Unspecified(DateTime.UnixEpoch.AddMilliseconds(Millis(b) / 10_000 * 10_000)), b.Price });
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task OrderByLimit_WholeResult_KeepsTheTopRowsAndLimitAloneIsAppendOnly()
    {
        var bids = Bids(700);
        var env = WithBids(bids, 2);
        var sorted = await SqlJobs.RunAsync(env, "SELECT Auction, Price FROM bid ORDER BY Price DESC LIMIT 5");
        Assert.Equal(SqlJobs.Sorted(bids.OrderByDescending(b => b.Price).Take(5).Select(b => new object?[] { b.Auction, b.Price })), SqlJobs.Materialize(sorted));
        Assert.Contains("SortLimit(orderBy=[Price DESC], offset=[0], fetch=[5])", WithBids(Bids(10)).Sql.SqlQuery("SELECT Auction, Price FROM bid ORDER BY Price DESC LIMIT 5").Explain(), StringComparison.Ordinal);

        var limited = await SqlJobs.RunAsync(WithBids(bids, 2), "SELECT Price FROM bid LIMIT 3");
        Assert.Equal(3, limited.Count);
        Assert.All(limited, c => Assert.Equal(RowKind.Insert, c.Kind));
    }

    [Fact]
    public async Task NexmarkQ18AndQ19_Texts_PlanAndRun()
    {
        var bids = Bids(1000);
        const string q18 = """
            SELECT auction, bidder, price, channel, url, dateTime, extra
             FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY dateTime DESC) AS rank_number
                   FROM bid)
             WHERE rank_number <= 1
            """;
        const string q19 = """
            SELECT * FROM
            (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rank_number FROM bid)
            WHERE rank_number <= 10
            """;
        async Task<StreamEnvironment> Nexmark()
        {
            var env = SqlJobs.Environment(2);
            var stream = env.FromCollection(bids, WatermarkStrategy.ForMonotonousTimestamps<Bid>().WithTimestampAssigner((b, _) => Millis(b)));
            env.Sql.CreateTemporaryView("bids", stream, rowtimeColumn: "DateTime");
            await env.Sql.ExecuteSqlAsync(
                "CREATE VIEW bid AS SELECT Auction AS auction, Bidder AS bidder, Price AS price, Channel AS channel, Url AS url, DateTime AS dateTime, Extra AS extra FROM bids");
            return env;
        }

        Assert.Contains("Deduplicate(keep=[LastRow], key=[bidder, auction], order=[ROWTIME])", (await Nexmark()).Sql.SqlQuery(q18).Explain(), StringComparison.Ordinal);
        Assert.Contains("Rank(strategy=[AppendFastStrategy], rankType=[ROW_NUMBER], rankRange=[rankStart=1, rankEnd=10], partitionBy=[auction], orderBy=[price DESC]", (await Nexmark()).Sql.SqlQuery(q19).Explain(), StringComparison.Ordinal);

        var last = SqlJobs.Materialize(await SqlJobs.RunAsync(await Nexmark(), q18));
        Assert.Equal(bids.Select(b => (b.Bidder, b.Auction)).Distinct().Count(), last.Count);
        var top = await SqlJobs.RunAsync(await Nexmark(), q19);
        var expected = bids.GroupBy(b => b.Auction).SelectMany(g => g.OrderByDescending(b => b.Price).Take(10)
            .Select((b, i) => new object?[] { b.Auction, b.Bidder, b.Price, b.Channel, b.Url, Unspecified(b.DateTime), b.Extra, (long)i + 1 }));
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(top));
    }

    [Theory]
    [InlineData("SELECT Auction, ROW_NUMBER() OVER (PARTITION BY Auction ORDER BY Price DESC) FROM bid", "ROW_NUMBER() OVER runs only as Top-N or deduplication")]
    [InlineData("SELECT * FROM (SELECT *, RANK() OVER (PARTITION BY Auction ORDER BY Price DESC) AS r FROM bid) WHERE r <= 3", "RANK() OVER does not run yet")]
    [InlineData("SELECT Auction, RANK() OVER (PARTITION BY Auction ORDER BY Price DESC) FROM bid", "RANK() OVER does not run yet")]
    [InlineData("SELECT * FROM (SELECT *, DENSE_RANK() OVER (PARTITION BY Auction ORDER BY Price DESC) AS r FROM bid) WHERE r <= 3", "DENSE_RANK() OVER does not run yet")]
    [InlineData("SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY Auction ORDER BY Price DESC) AS r FROM bid) WHERE r > 3", "ROW_NUMBER() OVER runs only as Top-N")]
    [InlineData("SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY Channel ORDER BY pt) AS rn FROM (SELECT Channel, n, PROCTIME() AS pt FROM (SELECT Channel, COUNT(*) AS n FROM bid GROUP BY Channel))) WHERE rn = 1", "Top-N or deduplication ordered by a processing-time attribute over an updating input does not run")]
    [InlineData("SELECT Auction, Price FROM bid ORDER BY Price", "ORDER BY on a streaming query must be an ascending time attribute, or have a LIMIT (Top-N)")]
    public void SqlQuery_RankingThatDoesNotRun_IsRefusedByName(string query, string problem)
    {
        var env = WithBids(Bids(10));
        var error = Assert.ThrowsAny<SqlException>(() => env.Sql.SqlQuery(query));
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InsertInto_AppendOnlyTable_TakesWindowTopNAndFirstRowByProctimeButNotTopN()
    {
        var env = SqlJobs.Environment();
        await env.Sql.ExecuteSqlAsync("CREATE TABLE bid (Auction BIGINT, Price BIGINT, DateTime TIMESTAMP(3), WATERMARK FOR DateTime AS DateTime) "
            + "WITH ('connector' = 'kafka', 'topic' = 'bid', 'format' = 'json', 'properties.bootstrap.servers' = '127.0.0.1:9092')");
        await env.Sql.ExecuteSqlAsync("CREATE TABLE out (Auction BIGINT, Price BIGINT) WITH ('connector' = 'kafka', 'topic' = 'out', 'format' = 'json', 'properties.bootstrap.servers' = '127.0.0.1:9092')");
        var windowTopN = await Rows(await env.Sql.ExecuteSqlAsync(
            "EXPLAIN INSERT INTO out SELECT Auction, Price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY Price DESC) AS rn "
            + "FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(DateTime), INTERVAL '10' SECOND))) WHERE rn <= 3"));
        Assert.Contains("WindowRank(", windowTopN[0], StringComparison.Ordinal);
        var firstRows = await Rows(await env.Sql.ExecuteSqlAsync(
            "EXPLAIN INSERT INTO out SELECT Auction, Price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY Auction ORDER BY pt) AS rn FROM (SELECT *, PROCTIME() AS pt FROM bid)) WHERE rn = 1"));
        Assert.Contains("Deduplicate(keep=[FirstRow]", firstRows[0], StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<SqlValidationException>(() => env.Sql.ExecuteSqlAsync(
            "INSERT INTO out SELECT Auction, Price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY Auction ORDER BY Price DESC) AS rn FROM bid) WHERE rn <= 3"));
        Assert.Contains("accepts only append-only rows", error.Problem, StringComparison.Ordinal);
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

    /// <summary>A Top-N over an unbounded log table stopped with a savepoint at parallelism 2 and restored at 1: the
    /// second run's changes continue the first run's result, so both together are the Top-N of all bids.</summary>
    [Fact]
    public async Task TopN_RestoredFromSavepointAtAnotherParallelism_ContinuesTheResult()
    {
        using var store = LogStore.Open(Path.Combine(_directory, "log"), new LogStoreOptions { BackgroundMaintenance = false });
        var bids = Bids(400, auctions: 6);
        const string query = "SELECT auction, price, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bids) WHERE rn <= 3";
        string Table(string bounded) => $"""
            CREATE TABLE bids (auction BIGINT, price BIGINT)
            WITH ('connector' = 'freshet-log', 'topic' = 'bids', 'format' = 'json', 'scan.bounded.mode' = '{bounded}')
            """;
        async Task Append(IEnumerable<Bid> rows)
        {
            var sql = SqlEnvironment.Create(SqlJobs.Environment(), new SqlEnvironmentOptions { LogStore = store });
            await sql.ExecuteSqlAsync(Table("latest-offset"));
            var result = await sql.ExecuteSqlAsync($"INSERT INTO bids VALUES {string.Join(", ", rows.Select(b => $"({b.Auction}, {b.Price})"))}");
            await result.Job!.Completion.WaitAsync(TimeSpan.FromMinutes(2));
        }

        async Task<(JobHandle Job, CollectingSink<Change<Row>> Sink)> Run(int parallelism, string bounded, string? savepoint)
        {
            var env = StreamEnvironment.Create(new StreamEnvironmentOptions
            {
                Parallelism = parallelism,
                BufferTimeout = TimeSpan.FromMilliseconds(5),
                Checkpointing = new CheckpointingOptions { Directory = Path.Combine(_directory, "checkpoints"), Interval = TimeSpan.FromMilliseconds(100) },
                RestoreFromSavepoint = savepoint,
            });
            var sql = SqlEnvironment.Create(env, new SqlEnvironmentOptions { LogStore = store });
            await sql.ExecuteSqlAsync(Table(bounded));
            var sink = new CollectingSink<Change<Row>>();
            sql.ToChangelogStream(sql.SqlQuery(query)).SinkTo(sink).SetParallelism(1);
            return (await env.ExecuteAsync("top-n"), sink);
        }

        IReadOnlyList<string> Expected(IEnumerable<Bid> rows) => SqlJobs.Sorted(TopByPrice(rows, 3, withNumber: true));

        await Append(bids.Take(200));
        var (first, firstSink) = await Run(2, "unbounded", null);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!SqlJobs.Materialize(firstSink.Results).SequenceEqual(Expected(bids.Take(200))))
        {
            Assert.True(DateTime.UtcNow < deadline, "the first run did not reach the Top-N of the first half");
            await Task.Delay(50);
        }

        var savepoint = await first.StopWithSavepointAsync(Path.Combine(_directory, "savepoint")).WaitAsync(TimeSpan.FromSeconds(60));
        await Append(bids.Skip(200));
        var (second, secondSink) = await Run(1, "latest-offset", savepoint);
        await second.Completion.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(second.RestoredFrom is { IsSavepoint: true });
        Assert.Equal(Expected(bids), SqlJobs.Materialize(firstSink.Results.Concat(secondSink.Results)));
    }

    [Fact]
    public async Task TopN_OverACommaJoinWithItsWhere_JoinsByTheWhereEqualityAndRanksEachAuction()
    {
        // Nexmark q9's shape: the numbering SELECT's WHERE is the join's condition, so the join is keyed by it.
        var bids = Bids(600);
        var env = WithBids(bids, 2);
        env.Sql.CreateTemporaryView("auction", env.FromCollection(Enumerable.Range(0, 10).Select(i => new Auction(i, "item" + i)).ToArray()));
        const string query = """
            SELECT Id, Name, Price FROM (
              SELECT A.Id, A.Name, B.Price, ROW_NUMBER() OVER (PARTITION BY A.Id ORDER BY B.Price DESC) AS rn
              FROM auction A, bid B WHERE A.Id = B.Auction AND B.Price > 10)
            WHERE rn <= 2
            """;

        Assert.Contains("Join(joinType=[Inner], leftKeys=[Id], rightKeys=[Auction]", env.Sql.SqlQuery(query).Explain(), StringComparison.Ordinal);
        var changes = await SqlJobs.RunAsync(WithAuctionsAndBids(bids), query);
        var expected = bids.Where(b => b.Price > 10).GroupBy(b => b.Auction)
            .SelectMany(g => g.OrderByDescending(b => b.Price).Take(2).Select(b => new object?[] { g.Key, "item" + g.Key, b.Price }));
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));

        static StreamEnvironment WithAuctionsAndBids(Bid[] bids)
        {
            var env = WithBids(bids, 2);
            env.Sql.CreateTemporaryView("auction", env.FromCollection(Enumerable.Range(0, 10).Select(i => new Auction(i, "item" + i)).ToArray()));
            return env;
        }
    }

    public sealed record Auction(long Id, string Name);

    private static long Millis(Bid bid) => new DateTimeOffset(bid.DateTime, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static DateTime Unspecified(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Unspecified);

    /// <summary>The changelog of applying the operations to a table keyed by id (a null value deletes).</summary>
    private static List<Change<Row>> Changelog((int Id, int Group, long? Value)[] operations) =>
        TableChangelogs.Of(operations.Select(o => (o.Id, o.Value is { } value ? new Row(o.Id, (long)o.Group, value) : null)));

    private static List<Row> Apply(IEnumerable<Change<Row>> changes) => TableChangelogs.Apply(changes);
}
