using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Freshet.Cli.Tests;

/// <summary><c>freshet broker --http-port N</c>, run as a process: the broker's dashboard and REST API on 127.0.0.1.</summary>
public sealed partial class BrokerDashboardTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-cli-dashboard-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Http_port_serves_the_dashboard_and_the_rest_api()
    {
        var httpPort = LoopbackPorts.Free();
        using var broker = FreshetProcess.Start("broker", "--data", Path.Combine(_root, "data"), "--port", "0", "--http-port", httpPort.ToString());
        await broker.WaitForOutputAsync("Dashboard and REST API on", TimeSpan.FromSeconds(30));
        Assert.Contains($"Dashboard and REST API on http://127.0.0.1:{httpPort}/", broker.Stdout);
        var bootstrap = AddressPattern().Match(broker.Stdout).Groups[1].Value;

        await BrokerConfigFileTests.RequestMetadataAsync(bootstrap, "shown");

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(30) };
        using var overview = JsonDocument.Parse(await http.GetStringAsync("/api/broker"));
        using var topics = JsonDocument.Parse(await http.GetStringAsync("/api/topics"));
        var page = await http.GetStringAsync("/");
        var metrics = await http.GetStringAsync("/metrics");

        broker.Terminate();
        Assert.Equal(0, await broker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(bootstrap, overview.RootElement.GetProperty("listener").GetString());
        Assert.Contains(topics.RootElement.GetProperty("topics").EnumerateArray(), t => t.GetProperty("name").GetString() == "shown");
        Assert.Contains("data-view=\"broker\"", page, StringComparison.Ordinal);
        Assert.Contains("freshet_broker_requests_total{", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_port_in_use_is_refused_in_one_sentence()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exit, _, stderr) = await FreshetProcess.RunAsync(["broker", "--data", Path.Combine(_root, "data"), "--port", "0", "--http-port", port.ToString()]);

        Assert.Equal(1, exit);
        Assert.StartsWith($"freshet broker: cannot serve the dashboard on http://127.0.0.1:{port}/", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }


    [GeneratedRegex(@"listening on (127\.0\.0\.1:\d+)")]
    private static partial Regex AddressPattern();
}
