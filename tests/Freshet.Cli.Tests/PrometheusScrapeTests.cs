using System.Globalization;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Freshet.Shared;
using Freshet.Tests.Prometheus;

namespace Freshet.Cli.Tests;

/// <summary>
/// <c>freshet broker --metrics-port N</c> and a job process (<c>freshet demo --http-port N</c>) run as processes and
/// scraped by a real Prometheus server (also a process, <see cref="PrometheusServer"/>) every second: what Prometheus
/// stored, read back through its HTTP query API, shows the broker's request counter, the log's partition gauges and a
/// group's lag growing as records are produced with librdkafka, and the job's records, task times and checkpoints.
/// </summary>
public sealed partial class PrometheusScrapeTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-cli-prometheus-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Prometheus_scraping_the_broker_sees_request_and_log_partition_series_increase()
    {
        KafkaNativeLibrary.EnsureLoaded();
        var metricsPort = LoopbackPorts.Free();
        using var broker = FreshetProcess.Start("broker", "--data", Path.Combine(_root, "data"), "--port", "0", "--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture));
        await broker.WaitForOutputAsync("Metrics for Prometheus on", Timeout);
        var bootstrap = AddressPattern().Match(broker.Stdout).Groups[1].Value;
        var brokerPort = bootstrap[(bootstrap.LastIndexOf(':') + 1)..];
        using var prometheus = await PrometheusServer.StartAsync([$"127.0.0.1:{metricsPort}"]);

        var produceRequests = $"freshet_broker_requests_total{{job=\"freshet\",freshet_api_name=\"Produce\",server_port=\"{brokerPort}\"}}";
        var endOffset = "freshet_log_partition_end_offset{job=\"freshet\",messaging_destination_name=\"scraped\",messaging_destination_partition_id=\"0\"}";
        var sizeBytes = "freshet_log_partition_size_bytes{job=\"freshet\",messaging_destination_name=\"scraped\",messaging_destination_partition_id=\"0\"}";
        await prometheus.WaitForAsync("up{job=\"freshet\"}", s => s is [{ Value: 1 }], "the broker's endpoint up", Timeout);

        await ProduceAsync(bootstrap, count: 10);
        CommitOffset(bootstrap, "scraped-group", offset: 4);
        var firstRequests = Single(await prometheus.WaitForAsync(produceRequests, s => s is [{ Value: >= 1 }], "Produce requests counted", Timeout));
        var firstEnd = Single(await prometheus.WaitForAsync(endOffset, s => s is [{ Value: 10 }], "the partition's end offset at 10", Timeout));
        var firstSize = Single(await prometheus.WaitForAsync(sizeBytes, s => s is [{ Value: > 0 }], "the partition's size", Timeout));
        Assert.Single(await prometheus.QueryAsync("freshet_log_partition_segment_count{messaging_destination_name=\"scraped\"}"));
        Assert.Single(await prometheus.QueryAsync("freshet_log_partition_start_offset{messaging_destination_name=\"scraped\"}"));
        var lag = "freshet_consumer_group_lag{job=\"freshet\",messaging_consumer_group_name=\"scraped-group\",messaging_destination_name=\"scraped\",messaging_destination_partition_id=\"0\"}";
        await prometheus.WaitForAsync(lag, s => s is [{ Value: 6 }], "the group's lag at 6", Timeout);

        await ProduceAsync(bootstrap, count: 5);
        var secondRequests = Single(await prometheus.WaitForAsync(produceRequests, s => s is [{ Value: var v }] && v > firstRequests.Value, "more Produce requests", Timeout));
        var secondEnd = Single(await prometheus.WaitForAsync(endOffset, s => s is [{ Value: 15 }], "the partition's end offset at 15", Timeout));
        var secondSize = Single(await prometheus.WaitForAsync(sizeBytes, s => s is [{ Value: var v }] && v > firstSize.Value, "a larger partition", Timeout));
        await prometheus.WaitForAsync(lag, s => s is [{ Value: 11 }], "the group's lag at 11, with no commit in between", Timeout);

        // Values that grew came from later scrapes; the series are one per partition and per API, not per scrape.
        Assert.True(secondEnd.Timestamp > firstEnd.Timestamp);
        Assert.True(secondRequests.Value > firstRequests.Value);
        Assert.True(secondSize.Value > firstSize.Value);
        Assert.Equal(5, secondEnd.Value - firstEnd.Value);
        Assert.True(Single(await prometheus.QueryAsync($"count_over_time({endOffset}[5m])")).Value >= 2, "Prometheus stored at least two scrapes of the end offset.");
        Assert.Equal(15, Single(await prometheus.QueryAsync($"max_over_time({endOffset}[5m])")).Value);

        prometheus.Dispose();
        broker.Terminate();
        Assert.Equal(0, await broker.WaitForExitAsync(Timeout));
    }

    [Fact]
    public async Task Prometheus_scraping_a_job_process_sees_operator_and_task_series_increase()
    {
        var httpPort = LoopbackPorts.Free();
        using var demo = FreshetProcess.Start("demo", "--data", Path.Combine(_root, "demo"), "--port", "0", "--rate", "2000", "--duration", "120", "--http-port", httpPort.ToString(CultureInfo.InvariantCulture));
        await demo.WaitForOutputAsync("Dashboard and REST API on", Timeout);
        using var prometheus = await PrometheusServer.StartAsync([$"127.0.0.1:{httpPort}"]);
        await prometheus.WaitForAsync("up{job=\"freshet\"}", s => s is [{ Value: 1 }], "the job's endpoint up", Timeout);

        // Summed over the job's operator subtasks and tasks: each series is one subtask, and every one of them grows.
        var recordsOut = "sum(freshet_operator_records_out_total{job=\"freshet\"})";
        var busy = "sum(freshet_task_busy_time_seconds_total{job=\"freshet\"}) + sum(freshet_task_idle_time_seconds_total{job=\"freshet\"})";
        var first = Single(await prometheus.WaitForAsync(recordsOut, s => s is [{ Value: > 0 }], "records out counted", Timeout));
        var firstTime = Single(await prometheus.WaitForAsync(busy, s => s is [{ Value: > 0 }], "task time counted", Timeout));
        await prometheus.WaitForAsync(recordsOut, s => s is [{ Value: var v }] && v > first.Value, "more records out", Timeout);
        await prometheus.WaitForAsync(busy, s => s is [{ Value: var v }] && v > firstTime.Value, "more task time", Timeout);
        Assert.NotEmpty(await prometheus.QueryAsync("freshet_operator_watermark_milliseconds{job=\"freshet\"}"));
        await prometheus.WaitForAsync("freshet_checkpoint_completed_total{job=\"freshet\"}", s => s is [{ Value: >= 1 }], "a completed checkpoint", Timeout);

        prometheus.Dispose();
        demo.Terminate();
        Assert.Equal(0, await demo.WaitForExitAsync(Timeout));
    }

    private static PrometheusSample Single(IReadOnlyList<PrometheusSample> samples) => Assert.Single(samples);

    private static async Task ProduceAsync(string bootstrap, int count)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrap, Acks = Acks.All, MessageTimeoutMs = 30_000 }).Build();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(new TopicPartition("scraped", 0), new Message<Null, string> { Value = "record-" + i });
        }
    }

    private static void CommitOffset(string bootstrap, string group, long offset)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group, EnableAutoCommit = false }).Build();
        consumer.Commit([new TopicPartitionOffset("scraped", 0, offset)]);
    }


    [GeneratedRegex(@"listening on (127\.0\.0\.1:\d+)")]
    private static partial Regex AddressPattern();
}
