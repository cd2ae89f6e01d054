using System.Text.Json;
using Freshet.Streaming.Connectors.Collections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Freshet.Hosting.Tests;

/// <summary>
/// <c>Freshet:Jobs:{name}:Dashboard:Port</c> serves the hosted job's dashboard and REST API while the host runs, and
/// stops serving it when the host stops.
/// </summary>
public sealed class HostedJobDashboardTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task DashboardPortInConfiguration_ServesTheJobsRestApiUntilTheHostStops()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Freshet:Jobs:watched:Dashboard:Port"] = "0",
            ["Freshet:Jobs:watched:Parallelism"] = "1",
        });
        builder.Services.AddFreshetJob("watched", (env, _) =>
            env.FromGenerator(i => i, recordsPerSecond: 100, name: "ticks").Map(i => i * 2).WithName("double").SinkTo(new CollectingSink<long>()));
        using var host = builder.Build();
        var service = host.Services.GetRequiredKeyedService<FreshetJobService>("watched");

        await host.StartAsync().WaitAsync(Patience);
        await service.JobStarted.WaitAsync(Patience);
        var address = service.DashboardAddress;

        Assert.NotNull(address);
        Assert.Equal("127.0.0.1", address.Host);
        using var http = new HttpClient { BaseAddress = address, Timeout = Patience };
        using (var job = JsonDocument.Parse(await http.GetStringAsync("/api/job")))
        {
            Assert.Equal("watched", job.RootElement.GetProperty("name").GetString());
            Assert.Equal("Running", job.RootElement.GetProperty("status").GetString());
        }

        using (var graph = JsonDocument.Parse(await http.GetStringAsync("/api/job/graph")))
        {
            var operators = graph.RootElement.GetProperty("vertices").EnumerateArray().SelectMany(v => v.GetProperty("operatorNames").EnumerateArray().Select(n => n.GetString())).ToList();
            Assert.Contains("ticks", operators);
            Assert.Contains("double", operators);
        }

        await host.StopAsync().WaitAsync(Patience);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync("/api/job"));
    }

    [Fact]
    public async Task NoDashboardConfigured_ServesNone()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddFreshetJob("unwatched", (env, _) => env.FromGenerator(i => i, recordsPerSecond: 100).SinkTo(new CollectingSink<long>()));
        using var host = builder.Build();
        var service = host.Services.GetRequiredKeyedService<FreshetJobService>("unwatched");

        await host.StartAsync().WaitAsync(Patience);
        await service.JobStarted.WaitAsync(Patience);

        Assert.Null(service.DashboardAddress);
        await host.StopAsync().WaitAsync(Patience);
    }
}
