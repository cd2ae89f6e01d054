using System.Text.Json.Nodes;
using Freshet.Dashboard.Tests.Support;
using Freshet.Streaming;
using Freshet.Streaming.Connectors.Collections;

namespace Freshet.Dashboard.Tests;

/// <summary>
/// A job whose downstream is slower than its source: <c>/api/job/metrics</c> shows the source vertex backpressured
/// (level HIGH) and the slow vertex busy, as Flink's web UI would.
/// </summary>
public sealed class BackpressureTests
{
    [Fact]
    public async Task GetMetrics_SlowDownstream_ShowsTheSourceBackpressuredHigh()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, ChannelCapacity = 2, BatchSize = 16 });
        env.FromGenerator(i => i, name: "fast source")
            .Rebalance()
            .Map(i =>
            {
                Thread.Sleep(2);
                return i;
            })
            .WithName("slow map")
            .SinkTo(new CollectingSink<long>());
        var job = await env.ExecuteAsync("backpressure " + Guid.NewGuid().ToString("N")[..6]);
        try
        {
            await using var dashboard = await job.ServeDashboardAsync();
            using var http = new HttpClient { BaseAddress = dashboard.Address };
            JsonNode metrics = null!;
            await Poll.UntilAsync(
                async () =>
                {
                    metrics = await HttpJson.GetAsync(http, "/api/job/metrics");
                    var source = metrics["vertices"]!.AsArray().Single(v => (string?)v!["name"] == "fast source")!;
                    return (long)metrics["intervalMs"]! > 0 && (string?)source["backpressure"] == "HIGH";
                },
                () => "the source to be backpressured HIGH: " + metrics?.ToJsonString());

            var source = metrics["vertices"]!.AsArray().Single(v => (string?)v!["name"] == "fast source")!;
            Assert.True((double)source["maxBackpressuredRatio"]! > 0.5);
            var slow = metrics["vertices"]!.AsArray().Single(v => (string?)v!["name"] != "fast source")!;
            Assert.True((double)slow["maxBusyRatio"]! > 0.5, slow.ToJsonString());
        }
        finally
        {
            await job.CancelAsync();
        }
    }
}
