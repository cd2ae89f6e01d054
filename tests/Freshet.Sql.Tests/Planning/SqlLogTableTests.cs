using Freshet.Log;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Tests.Planning;

/// <summary>SQL end to end over a real log store: INSERT into log tables, an upsert table written by an aggregation
/// and read back as an upsert source.</summary>
public sealed class SqlLogTableTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("freshet-sql-").FullName;
    private readonly LogStore _store;

    public SqlLogTableTests()
    {
        _store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private SqlEnvironment Session(int parallelism = 1) =>
        SqlEnvironment.Create(SqlJobs.Environment(parallelism), new SqlEnvironmentOptions { LogStore = _store });

    private const string BidsTable = """
        CREATE TABLE bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
        WITH ('connector' = 'freshet-log', 'topic' = 'bids', 'format' = 'json', 'scan.bounded.mode' = 'latest-offset')
        """;

    private const string TotalsTable = """
        CREATE TABLE totals (auction BIGINT, total BIGINT, n BIGINT, PRIMARY KEY (auction) NOT ENFORCED)
        WITH ('connector' = 'freshet-log', 'topic' = 'totals', 'key.format' = 'json', 'value.format' = 'json', 'scan.bounded.mode' = 'latest-offset')
        """;

    [Fact]
    public async Task ExplainInsert_IntoATableWhoseTopicIsMissing_ShowsThePlanWithoutCreatingTheTopic()
    {
        var sql = Session();
        await sql.ExecuteSqlAsync(BidsTable);
        _store.CreateTopic("bids", 1);
        await sql.ExecuteSqlAsync(TotalsTable);

        await using var plan = await sql.ExecuteSqlAsync("EXPLAIN INSERT INTO totals SELECT auction, SUM(price), COUNT(*) FROM bids GROUP BY auction");
        var text = string.Join("\n", await plan.ReadChangesAsync().Select(c => (string)c.Row[0]!).ToListAsync());
        Assert.Contains("totals", text, StringComparison.Ordinal);
        Assert.False(_store.TryDescribeTopic("totals", out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task InsertIntoUpsertTable_GroupByOverLogTopic_ReadsBackAsTheFinalAggregates(int parallelism)
    {
        var bids = Enumerable.Range(0, 300).Select(i => (Auction: (long)(i % 7), Price: (long)((i * 37) % 101), Ts: new DateTime(2026, 1, 1).AddMilliseconds(i * 100))).ToArray();
        var sql = Session(parallelism);
        await sql.ExecuteSqlAsync(BidsTable);
        await sql.ExecuteSqlAsync(TotalsTable);
        var values = string.Join(", ", bids.Select(b => $"({b.Auction}, {b.Price}, TIMESTAMP '{b.Ts:yyyy-MM-dd HH:mm:ss.fff}')"));
        await Completed(await sql.ExecuteSqlAsync($"INSERT INTO bids VALUES {values}"));

        await Completed(await sql.ExecuteSqlAsync("INSERT INTO totals SELECT auction, SUM(price), COUNT(*) FROM bids GROUP BY auction"));

        await using var result = await sql.ExecuteSqlAsync("SELECT * FROM totals");
        var changes = new List<Change<Row>>();
        await foreach (var change in result.ReadChangesAsync())
        {
            changes.Add(change);
        }

        var expected = bids.GroupBy(b => b.Auction).Select(g => new object?[] { g.Key, g.Sum(b => b.Price), (long)g.Count() });
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task WindowAggregate_OverLogTopicWithWatermark_EqualsLinq()
    {
        var sql = Session();
        await sql.ExecuteSqlAsync(BidsTable);
        var start = new DateTime(2026, 1, 1);
        var values = string.Join(", ", Enumerable.Range(0, 100).Select(i => $"({i % 3}, {i}, TIMESTAMP '{start.AddMilliseconds(i * 450):yyyy-MM-dd HH:mm:ss.fff}')"));
        await Completed(await sql.ExecuteSqlAsync($"INSERT INTO bids VALUES {values}"));

        await using var result = await sql.ExecuteSqlAsync(
            "SELECT auction, window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY auction, window_start, window_end");
        var changes = new List<Change<Row>>();
        await foreach (var change in result.ReadChangesAsync())
        {
            changes.Add(change);
        }

        var expected = Enumerable.Range(0, 100).GroupBy(i => (Auction: (long)(i % 3), Window: i * 450 / 5000 * 5000))
            .Select(g => new object?[] { g.Key.Auction, start.AddMilliseconds(g.Key.Window), (long)g.Count() });
        Assert.Equal(SqlJobs.Sorted(expected), SqlJobs.Materialize(changes));
    }

    private static async Task Completed(SqlResult result)
    {
        Assert.Equal(SqlResultKind.Job, result.Kind);
        await result.Job!.Completion.WaitAsync(TimeSpan.FromMinutes(2));
    }
}
