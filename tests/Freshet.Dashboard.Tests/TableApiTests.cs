using System.Net;
using System.Text.Json.Nodes;
using Freshet.Dashboard.Tests.Support;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Dashboard.Tests;

/// <summary>
/// The interactive-query endpoints (docs/rest-api.md, "Tables") over HTTP on 127.0.0.1: a finished bounded job's
/// tables under string, int, Guid and JSON record keys, and a running job read while it writes, then cancelled.
/// </summary>
public sealed class TableApiTests(TablesJob fixture) : IClassFixture<TablesJob>
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task GetTables_FinishedJob_ListsNamesWithKeyAndValueTypes()
    {
        var body = await HttpJson.GetAsync(Http, "/api/job/tables");

        var tables = body["tables"]!.AsArray();
        Assert.Equal(["guids", "numbers", "regions", "users"], tables.Select(t => (string)t!["name"]!));
        var users = tables.Single(t => (string?)t!["name"] == "users")!;
        Assert.Equal("System.String", (string?)users["keyType"]);
        Assert.Equal(typeof(TablesJob.Tally).FullName, (string?)users["valueType"]);
        Assert.True((bool)users["ordered"]!);
        Assert.False((bool)tables.Single(t => (string?)t!["name"] == "regions")!["ordered"]!);
    }

    [Fact]
    public async Task GetKey_StringIntGuidAndJsonKeys_ReturnKeyAndValueAsJson()
    {
        var user = await HttpJson.GetAsync(Http, "/api/job/tables/users/keys/user-7");
        Assert.Equal("users", (string?)user["table"]);
        Assert.Equal("user-7", (string?)user["key"]);
        AssertTally(TablesJob.Expected(static i => "user-" + (i % 12), "user-7"), user["value"]!);

        var number = await HttpJson.GetAsync(Http, "/api/job/tables/numbers/keys/13");
        Assert.Equal(13, (int)number["key"]!);
        AssertTally(TablesJob.Expected(static i => (int)(i % 20), 13), number["value"]!);

        var guid = TablesJob.GuidOf(2);
        var byGuid = await HttpJson.GetAsync(Http, $"/api/job/tables/guids/keys/{guid}");
        Assert.Equal(guid, Guid.Parse((string)byGuid["key"]!));
        AssertTally(TablesJob.Expected(TablesJob.GuidOf, guid), byGuid["value"]!);

        var region = new TablesJob.Region("DE", 3);
        var byRegion = await HttpJson.GetAsync(Http, "/api/job/tables/regions/keys/" + Uri.EscapeDataString("{\"country\":\"DE\",\"zone\":3}"));
        Assert.Equal("DE", (string?)byRegion["key"]!["country"]);
        AssertTally(TablesJob.Expected(static i => new TablesJob.Region(i % 2 == 0 ? "NL" : "DE", (int)(i % 4)), region), byRegion["value"]!);
    }

    [Fact]
    public async Task GetKey_AbsentKeyUnknownTableOrBadKey_JsonErrors()
    {
        var (absent, absentBody) = await HttpJson.SendAsync(Http, HttpMethod.Get, "/api/job/tables/users/keys/nobody");
        Assert.Equal(HttpStatusCode.NotFound, absent);
        Assert.Equal("not_found", (string?)absentBody!["error"]);
        Assert.Contains("nobody", (string?)absentBody["message"], StringComparison.Ordinal);

        var (unknown, unknownBody) = await HttpJson.SendAsync(Http, HttpMethod.Get, "/api/job/tables/orders/keys/1");
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Contains("'users'", (string?)unknownBody!["message"], StringComparison.Ordinal);

        foreach (var path in new[] { "/api/job/tables/numbers/keys/twelve", "/api/job/tables/numbers/keys/99999999999", "/api/job/tables/guids/keys/not-a-guid", "/api/job/tables/regions/keys/%7Bnope" })
        {
            var (status, body) = await HttpJson.SendAsync(Http, HttpMethod.Get, path);
            Assert.True(status == HttpStatusCode.BadRequest, $"{path}: {(int)status} {body?.ToJsonString()}");
            Assert.Equal("bad_request", (string?)body!["error"]);
        }
    }

    [Fact]
    public async Task Scan_BoundsAndLimit_OrderedEntriesWithTruncation()
    {
        var all = await HttpJson.GetAsync(Http, "/api/job/tables/numbers");
        Assert.Equal(Enumerable.Range(0, 20), all["entries"]!.AsArray().Select(e => (int)e!["key"]!));
        Assert.Equal(100, (int)all["limit"]!);
        Assert.False((bool)all["truncated"]!);

        var some = await HttpJson.GetAsync(Http, "/api/job/tables/numbers?from=5&to=9&limit=3");
        Assert.Equal([5, 6, 7], some["entries"]!.AsArray().Select(e => (int)e!["key"]!));
        Assert.True((bool)some["truncated"]!);
        AssertTally(TablesJob.Expected(static i => (int)(i % 20), 6), some["entries"]![1]!["value"]!);

        var upTo = await HttpJson.GetAsync(Http, "/api/job/tables/numbers?to=2");
        Assert.Equal([0, 1, 2], upTo["entries"]!.AsArray().Select(e => (int)e!["key"]!));

        // Strings scan in ordinal order.
        var users = await HttpJson.GetAsync(Http, "/api/job/tables/users?from=user-1&to=user-2");
        Assert.Equal(["user-1", "user-10", "user-11", "user-2"], users["entries"]!.AsArray().Select(e => (string)e!["key"]!));
    }

    [Fact]
    public async Task Scan_BadLimitOrUnorderedKeys_BadRequest()
    {
        foreach (var path in new[] { "/api/job/tables/numbers?limit=0", "/api/job/tables/numbers?limit=10001", "/api/job/tables/numbers?limit=ten", "/api/job/tables/numbers?from=x", "/api/job/tables/regions" })
        {
            var (status, body) = await HttpJson.SendAsync(Http, HttpMethod.Get, path);
            Assert.True(status == HttpStatusCode.BadRequest, $"{path}: {(int)status} {body?.ToJsonString()}");
            Assert.Equal("bad_request", (string?)body!["error"]);
        }
    }

    [Fact]
    public async Task GetKey_RunningJobThenCancelled_ValuesWhileRunningThenUnavailable()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2, BufferTimeout = TimeSpan.FromMilliseconds(5) });
        env.FromGenerator(static i => i, recordsPerSecond: 2_000).KeyBy(static i => i % 6).Process(new LatestPair()).Filter(static _ => false).SinkTo(new CollectingSink<long>());
        var job = await env.ExecuteAsync("tables rest running");
        await using var dashboard = await JobDashboard.StartAsync(job, new DashboardOptions());
        using var http = new HttpClient { BaseAddress = dashboard.Address, Timeout = TimeSpan.FromSeconds(60) };

        // While the job writes, each read is one whole pair (n, 2n), and a key's n never goes back.
        var last = -1L;
        var reads = 0;
        await Poll.UntilAsync(
            async () =>
            {
                var (status, body) = await HttpJson.SendAsync(http, HttpMethod.Get, "/api/job/tables/pairs/keys/4");
                if (status != HttpStatusCode.OK)
                {
                    return false;
                }

                var n = (long)body!["value"]!["n"]!;
                Assert.Equal(2 * n, (long)body["value"]!["twice"]!);
                Assert.True(n >= last, $"read {n} after {last}");
                last = n;
                return ++reads >= 20;
            },
            () => $"20 reads of key 4 (got {reads})");

        await job.CancelAsync();
        var (ended, endedBody) = await HttpJson.SendAsync(http, HttpMethod.Get, "/api/job/tables/pairs/keys/4");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ended);
        Assert.Equal("unavailable", (string?)endedBody!["error"]);
    }

    private static void AssertTally(TablesJob.Tally expected, JsonNode value)
    {
        Assert.Equal(expected.Count, (long)value["count"]!);
        Assert.Equal(expected.Sum, (long)value["sum"]!);
    }

    /// <summary>A value written whole: <c>Twice</c> is always <c>2 * N</c>.</summary>
    public sealed record Pair(long N, long Twice);

    /// <summary>Keeps each key's latest record as a <see cref="Pair"/> in a value state marked queryable as "pairs".</summary>
    private sealed class LatestPair : KeyedProcessFunction<long, long, long>
    {
        private ValueState<Pair?>? _latest;

        public override void Open(RuntimeContext context) => _latest = context.GetState(new ValueStateDescriptor<Pair?>("latest") { QueryableName = "pairs" });

        public override void ProcessElement(long value, KeyedProcessContext<long> context, Collector<long> output) => _latest!.Update(new Pair(value, 2 * value));
    }
}
