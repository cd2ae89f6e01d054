using System.Net;
using System.Net.Sockets;
using Freshet.Dashboard.Tests.Support;

namespace Freshet.Dashboard.Tests;

/// <summary>Starting and stopping a dashboard server: its address, bad options, a port in use, stopping twice.</summary>
public sealed class DashboardServerTests(JobFixture fixture) : IClassFixture<JobFixture>
{
    [Fact]
    public async Task StartAsync_DefaultOptions_BindsLoopbackAtAFreePortAndStopsTwiceHarmlessly()
    {
        var server = await JobDashboard.StartAsync(fixture.Running.Job);

        Assert.Equal("127.0.0.1", server.Address.Host);
        Assert.NotEqual(0, server.Address.Port);
        using var http = new HttpClient { BaseAddress = server.Address };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/job")).StatusCode);

        await server.StopAsync();
        await server.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/api/job"));
        Assert.False(fixture.Running.Job.Completion.IsCompleted);
    }

    [Theory]
    [InlineData("example.com", 0)]
    [InlineData("127.0.0.1", 70000)]
    [InlineData("127.0.0.1", -1)]
    public async Task StartAsync_BadOptions_ThrowsArgumentException(string host, int port) =>
        await Assert.ThrowsAnyAsync<ArgumentException>(() => JobDashboard.StartAsync(fixture.Running.Job, new DashboardOptions { Host = host, Port = port }));

    [Fact]
    public async Task StartAsync_PortInUse_ThrowsIOException()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        await Assert.ThrowsAsync<IOException>(() => JobDashboard.StartAsync(fixture.Running.Job, new DashboardOptions { Port = port }));
    }

    [Fact]
    public async Task StartAsync_WithoutMetrics_AnswersNotFoundAtMetrics()
    {
        await using var server = await JobDashboard.StartAsync(fixture.Running.Job, new DashboardOptions { ServeMetrics = false });
        using var http = new HttpClient { BaseAddress = server.Address };

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);
    }
}
