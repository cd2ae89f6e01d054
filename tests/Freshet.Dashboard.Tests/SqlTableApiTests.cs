using System.Net;
using Freshet.Dashboard.Tests.Support;
using Freshet.Sql;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;

namespace Freshet.Dashboard.Tests;

/// <summary>
/// A SQL query's result made queryable with <c>SqlEnvironment.ToTable</c> and read over the REST API on 127.0.0.1:
/// its values are rows, written as JSON arrays of the row's values.
/// </summary>
public sealed class SqlTableApiTests : IAsyncLifetime
{
    public sealed record Sale(string Channel, long Item, long Price);

    private static readonly Sale[] Sales = Enumerable.Range(0, 600)
        .Select(i => new Sale(i % 3 == 0 ? "apple" : i % 3 == 1 ? "google" : "baidu", i % 7, i))
        .ToArray();

    private JobHandle _job = null!;
    private DashboardServer _dashboard = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        env.Sql.CreateTemporaryView("sale", env.FromCollection(Sales));
        var byChannel = env.Sql.SqlQuery("SELECT Channel, COUNT(*) AS sales, SUM(Price) AS revenue FROM sale GROUP BY Channel");
        env.Sql.ToTable<string>(byChannel, "Channel").Queryable("channels").ToStream().SinkTo(new CollectingSink<KeyValuePair<string, Row?>>());
        var byPair = env.Sql.SqlQuery("SELECT Channel, Item, COUNT(*) AS sales FROM sale GROUP BY Channel, Item");
        env.Sql.ToTable(byPair, "Channel", "Item").Queryable("pairs").ToStream().SinkTo(new CollectingSink<KeyValuePair<Row, Row?>>());
        _job = await env.ExecuteAsync("sql tables rest " + Guid.NewGuid().ToString("N")[..8]);
        await _job.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        _dashboard = await JobDashboard.StartAsync(_job, new DashboardOptions());
        _http = new HttpClient { BaseAddress = _dashboard.Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _dashboard.DisposeAsync();
    }

    [Fact]
    public async Task GetKey_SqlResultTable_ValueIsTheRowAsAJsonArray()
    {
        var apple = await HttpJson.GetAsync(_http, "/api/job/tables/channels/keys/apple");
        var expected = Sales.Where(s => s.Channel == "apple").ToArray();
        var value = apple["value"]!.AsArray();
        Assert.Equal("apple", (string?)value[0]);
        Assert.Equal(expected.Length, (long)value[1]!);
        Assert.Equal(expected.Sum(s => s.Price), (long)value[2]!);

        var all = await HttpJson.GetAsync(_http, "/api/job/tables/channels");
        Assert.Equal(["apple", "baidu", "google"], all["entries"]!.AsArray().Select(e => (string)e!["key"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetKey_RowKey_IsRefusedAsUnreadableButTheTableIsListed()
    {
        var tables = await HttpJson.GetAsync(_http, "/api/job/tables");
        Assert.Contains("pairs", tables["tables"]!.AsArray().Select(t => (string)t!["name"]!));

        var (status, body) = await HttpJson.SendAsync(_http, HttpMethod.Get, "/api/job/tables/pairs/keys/" + Uri.EscapeDataString("[\"apple\",3]"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("column types", (string?)body!["message"], StringComparison.Ordinal);
    }
}
