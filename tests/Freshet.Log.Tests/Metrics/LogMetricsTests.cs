using Freshet.Log.Records;
using Freshet.Log.Tests.TestSupport;
using Freshet.Log.Topics;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Freshet.Log.Tests.Metrics;

/// <summary>
/// The log's <c>Freshet.Log</c> meter (docs/operations.md, "Metrics") read through OpenTelemetry's in-memory exporter from
/// an embedded store, no broker. Other tests' stores share the process, so only this test's topic is read (and the
/// internal partitions of its own store are told apart by their size, not by name).
/// </summary>
public sealed class LogMetricsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void OpenStore_PartitionsWithRecords_GaugesReportOffsetsSizeAndSegmentsUntilDisposed()
    {
        var exported = new List<MetricSnapshot>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(LogStore.MeterName).AddInMemoryExporter(exported).Build();
        var store = TestLogs.Open(_directory.Path);
        store.CreateTopic("gauged", 2, new TopicConfig { SegmentBytes = 1024 });
        var partition = store.GetPartition("gauged", 0);
        for (var i = 0; i < 20; i++)
        {
            partition.Append(RecordBatchBuilder.Build([new LogRecord(1_000 + i, null, new byte[100])]));
        }

        partition.DeleteRecordsBefore(3);

        provider.ForceFlush();

        Assert.Equal(partition.LogStartOffset, Gauge(exported, "freshet.log.partition.start_offset", "gauged", "0"));
        Assert.Equal(3, Gauge(exported, "freshet.log.partition.start_offset", "gauged", "0"));
        Assert.Equal(20, Gauge(exported, "freshet.log.partition.end_offset", "gauged", "0"));
        Assert.Equal(partition.SizeBytes, Gauge(exported, "freshet.log.partition.size", "gauged", "0"));
        Assert.True(partition.SegmentCount > 1, $"{partition.SegmentCount} segments");
        Assert.Equal(partition.SegmentCount, Gauge(exported, "freshet.log.partition.segment.count", "gauged", "0"));
        Assert.Equal(0, Gauge(exported, "freshet.log.partition.end_offset", "gauged", "1"));
        Assert.Equal(0, Gauge(exported, "freshet.log.partition.size", "gauged", "1"));
        Assert.Equal(1, Gauge(exported, "freshet.log.partition.segment.count", "gauged", "1"));
        Assert.Contains(Points(exported, "freshet.log.partition.end_offset"), p => Tag(p, "messaging.destination.name") == "__consumer_offsets");
        Assert.Contains(Points(exported, "freshet.log.partition.end_offset"), p => Tag(p, "messaging.destination.name") == "__transaction_state");
        Assert.Equal("By", exported.Last(m => m.Name == "freshet.log.partition.size").Unit);
        Assert.Equal("{offset}", exported.Last(m => m.Name == "freshet.log.partition.end_offset").Unit);
        Assert.Equal("{segment}", exported.Last(m => m.Name == "freshet.log.partition.segment.count").Unit);

        store.Dispose();
        exported.Clear();
        provider.ForceFlush();

        Assert.DoesNotContain(Points(exported, "freshet.log.partition.end_offset"), p => Tag(p, "messaging.destination.name") == "gauged");
    }

    public void Dispose() => _directory.Dispose();

    private static long Gauge(List<MetricSnapshot> exported, string name, string topic, string partition) =>
        Assert.Single(Points(exported, name), p => Tag(p, "messaging.destination.name") == topic && Tag(p, "messaging.destination.partition.id") == partition).GetGaugeLastValueLong();

    private static IReadOnlyList<MetricPoint> Points(List<MetricSnapshot> exported, string name) =>
        exported.LastOrDefault(m => m.Name == name)?.MetricPoints ?? [];

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
