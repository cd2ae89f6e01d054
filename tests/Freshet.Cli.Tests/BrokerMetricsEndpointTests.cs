using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Freshet.Cli.Tests;

/// <summary><c>freshet broker --metrics-port N</c>, run as a process, scraped over HTTP on 127.0.0.1 as Prometheus does.</summary>
public sealed partial class BrokerMetricsEndpointTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-cli-metrics-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Metrics_port_serves_the_broker_requests_and_the_log_partitions_in_prometheus_text_format()
    {
        var metricsPort = LoopbackPorts.Free();
        using var broker = FreshetProcess.Start("broker", "--data", Path.Combine(_root, "data"), "--port", "0", "--metrics-port", metricsPort.ToString());
        await broker.WaitForOutputAsync("Metrics for Prometheus on", TimeSpan.FromSeconds(30));
        var bootstrap = AddressPattern().Match(broker.Stdout).Groups[1].Value;
        var brokerPort = bootstrap[(bootstrap.LastIndexOf(':') + 1)..];
        Assert.Contains($"Metrics for Prometheus on http://127.0.0.1:{metricsPort}/metrics", broker.Stdout);

        await BrokerConfigFileTests.RequestMetadataAsync(bootstrap, "scraped");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
        var text = await response.Content.ReadAsStringAsync();

        broker.Terminate();
        Assert.Equal(0, await broker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);

        // One Metadata request, counted once under this broker's port.
        var metadata = Assert.Single(text.Split('\n'), line => line.StartsWith("freshet_broker_requests_total{", StringComparison.Ordinal) && line.Contains("freshet_api_name=\"Metadata\"", StringComparison.Ordinal));
        Assert.Contains($"server_port=\"{brokerPort}\"", metadata);
        Assert.EndsWith(" 1", metadata.TrimEnd());
        Assert.Contains("# TYPE freshet_broker_request_duration_seconds histogram", text);
        Assert.Contains("freshet_broker_connections{", text);

        // The Freshet.Log meter of the broker's store: its internal partitions exist from the start.
        Assert.Contains(text.Split('\n'), line => line.StartsWith("freshet_log_partition_end_offset{", StringComparison.Ordinal) && line.Contains("messaging_destination_name=\"__consumer_offsets\"", StringComparison.Ordinal));
        Assert.Contains("# TYPE freshet_log_partition_size_bytes gauge", text);
        Assert.Contains("freshet_log_partition_start_offset{", text);
        Assert.Contains("freshet_log_partition_segment_count{", text);
    }

    [Fact]
    public async Task Metrics_port_in_use_is_refused_in_one_sentence()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exit, _, stderr) = await FreshetProcess.RunAsync(["broker", "--data", Path.Combine(_root, "data"), "--port", "0", "--metrics-port", port.ToString()]);

        Assert.Equal(1, exit);
        Assert.StartsWith($"freshet broker: cannot serve metrics on http://127.0.0.1:{port}/", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }


    [GeneratedRegex(@"listening on (127\.0\.0\.1:\d+)")]
    private static partial Regex AddressPattern();
}
