using Freshet.Log.Logging;
using Freshet.Log.Tests.TestSupport;
using Freshet.Log.Topics;
using Microsoft.Extensions.Logging;

namespace Freshet.Log.Tests.Logging;

/// <summary>
/// What recovery repaired is logged when the store opens (docs/operations.md): a truncated segment as a structured
/// event naming the partition, file, position and bytes dropped; other repairs as one event per report line; and a
/// summary with the count.
/// </summary>
public sealed class RecoveryLoggingTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualClock _clock = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Open_SegmentCutMidBatch_LogsTheTruncationWithItsPartitionAndBytes()
    {
        var sizes = new List<int>();
        using (var store = TestLogs.Open(_directory.Path, _clock))
        {
            var partition = TestLogs.CreatePartition(store, TopicConfig.Default);
            for (var i = 0; i < 4; i++)
            {
                var batch = TestLogs.Batch(i * 3, 3, _clock.NowMs);
                sizes.Add(batch.Length);
                partition.Append(batch);
            }
        }

        var logFile = Assert.Single(TestLogs.SegmentLogs(Path.Combine(_directory.Path, "topics", TestLogs.Topic, "0")));
        var wholeBytes = sizes.Take(3).Sum();
        using (var stream = new FileStream(logFile, FileMode.Open))
        {
            stream.SetLength(wholeBytes + 10);
        }

        using var log = new RecordedLog();
        using var reopened = LogStore.Open(_directory.Path, TestLogs.Options(_clock) with { LoggerFactory = log.Factory });

        var truncated = Assert.Single(log.Events(3002));
        Assert.Equal(LogLevel.Warning, truncated.Level);
        Assert.Equal("SegmentTruncated", truncated.Id.Name);
        Assert.Equal(LogStoreLog.Category, truncated.Category);
        Assert.Equal($"{TestLogs.Topic}-0", truncated.GetStructuredStateValue("Partition"));
        Assert.Equal(logFile, truncated.GetStructuredStateValue("Segment"));
        Assert.Equal(wholeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), truncated.GetStructuredStateValue("Position"));
        Assert.Equal("10", truncated.GetStructuredStateValue("DroppedBytes"));

        // Every other report line is its own event; the truncation is not logged twice.
        Assert.Equal(reopened.RecoveryReport.Count - 1, log.Events(3001).Count);
        Assert.DoesNotContain(log.Events(3001), e => e.GetStructuredStateValue("Repair")!.Contains("truncated", StringComparison.Ordinal));

        var opened = Assert.Single(log.Events(3000));
        Assert.Equal(LogLevel.Information, opened.Level);
        Assert.Equal(reopened.RecoveryReport.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), opened.GetStructuredStateValue("RepairCount"));
        Assert.Equal("1", opened.GetStructuredStateValue("PartitionCount"));
    }

    [Fact]
    public void Open_CleanDirectory_LogsOnlyTheSummary()
    {
        using (var store = TestLogs.Open(_directory.Path, _clock))
        {
            TestLogs.CreatePartition(store).Append(TestLogs.Batch(0, 2, _clock.NowMs));
        }

        using var log = new RecordedLog();
        using var reopened = LogStore.Open(_directory.Path, TestLogs.Options(_clock) with { LoggerFactory = log.Factory });

        var opened = Assert.Single(log.Collector.GetSnapshot());
        Assert.Equal(3000, opened.Id.Id);
        Assert.Equal("0", opened.GetStructuredStateValue("RepairCount"));
    }
}
