using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Queryable;
using Freshet.Streaming.State;

namespace Freshet.Sql.Tests.Planning;

/// <summary>A SQL query's result as a C# table (<c>SqlEnvironment.ToTable</c>), read by interactive queries.</summary>
public sealed class SqlQueryableTableTests : IDisposable
{
    public sealed record Bid(long Auction, string Channel, long Price);

    private readonly string _rocksDirectory = Path.Combine(Path.GetTempPath(), "freshet-sql-queryable-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_rocksDirectory))
        {
            Directory.Delete(_rocksDirectory, recursive: true);
        }
    }

    private static Bid[] Bids()
    {
        var random = new Random(11);
        return Enumerable.Range(0, 3000)
            .Select(_ => new Bid(random.Next(40), random.Next(3) switch { 0 => "apple", 1 => "google", _ => "baidu" }, random.Next(1, 1000)))
            .ToArray();
    }

    private StreamEnvironment Environment(string backend, Bid[] bids)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            BufferTimeout = TimeSpan.FromMilliseconds(5),
            StateBackend = backend == "heap" ? StateBackend.Heap : StateBackend.RocksDb(_rocksDirectory),
        });
        env.Sql.CreateTemporaryView("bid", env.FromCollection(bids));
        return env;
    }

    [Theory]
    [InlineData("heap")]
    [InlineData("rocksdb")]
    public async Task GroupByResult_KeyedByItsGroupColumn_ReadsBackEveryGroupsFinalRow(string backend)
    {
        var bids = Bids();
        var env = Environment(backend, bids);
        var result = env.Sql.SqlQuery("SELECT Auction, COUNT(*) AS bids, MAX(Price) AS top FROM bid WHERE Price > 100 GROUP BY Auction");
        env.Sql.ToTable<long>(result, "auction").Queryable("auctions").ToStream().SinkTo(new CollectingSink<KeyValuePair<long, Row?>>());
        var job = await env.ExecuteAsync("sql queryable");
        await job.Completion.WaitAsync(TimeSpan.FromMinutes(2));

        var expected = bids.Where(b => b.Price > 100).GroupBy(b => b.Auction)
            .ToDictionary(g => g.Key, g => new Row(g.Key, (long)g.Count(), g.Max(b => b.Price)));
        var auctions = job.GetQueryableTable<long, Row>("auctions");
        foreach (var (auction, row) in expected)
        {
            Assert.True(auctions.TryGet(auction, out var found), $"auction {auction} missing");
            Assert.Equal(row, found);
        }

        Assert.Equal(expected.Count, auctions.CountKeys());
        Assert.Equal(expected.Keys.Order(), auctions.Scan(KeyRange.All<long>(), limit: 100).Select(e => e.Key));
    }

    [Fact]
    public async Task CompositeKey_RowOfTheKeyColumns_AndRowsThatLeaveTheResultAreRemoved()
    {
        var bids = Bids();
        var env = Environment("heap", bids);

        // HAVING retracts a group once its count passes 20, so the table must delete it again.
        var result = env.Sql.SqlQuery("SELECT Channel, Auction, SUM(Price) AS total FROM bid GROUP BY Auction, Channel HAVING COUNT(*) <= 20");
        env.Sql.ToTable(result, "Auction", "Channel").Queryable("totals").ToStream().SinkTo(new CollectingSink<KeyValuePair<Row, Row?>>());
        var job = await env.ExecuteAsync("sql queryable composite");
        await job.Completion.WaitAsync(TimeSpan.FromMinutes(2));

        var groups = bids.GroupBy(b => (b.Auction, b.Channel)).ToArray();
        var totals = job.GetQueryableTable<Row, Row>("totals");
        Assert.Contains(groups, g => g.Count() > 20);
        foreach (var group in groups)
        {
            var present = totals.TryGet(new Row(group.Key.Auction, group.Key.Channel), out var row);
            Assert.Equal(group.Count() <= 20, present);
            if (present)
            {
                Assert.Equal(new Row(group.Key.Channel, group.Key.Auction, group.Sum(b => b.Price)), row);
            }
        }
    }

    [Fact]
    public void ToTable_WrongKeyTypeOrUnknownColumn_IsRefusedWithTheColumnsType()
    {
        var env = Environment("heap", Bids());
        var result = env.Sql.SqlQuery("SELECT Auction, COUNT(*) AS bids FROM bid GROUP BY Auction");
        var wrongType = Assert.Throws<ArgumentException>(() => env.Sql.ToTable<int>(result, "Auction"));
        Assert.Contains("Int64", wrongType.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<ArgumentException>(() => env.Sql.ToTable(result, "Bidder"));
        Assert.Contains("no column 'Bidder'", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => env.Sql.ToTable(result));
    }
}
