using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Tests.TestSupport;
using Freshet.Log.Topics;

namespace Freshet.Log.Tests.Partitions;

/// <summary>
/// <see cref="Partition.DeleteRecordsBefore"/> (Kafka's DeleteRecords): the log start moves inside a segment,
/// durably; whole segments below it go; reads, timestamp lookups and reopen respect it; bad offsets and
/// compacted topics are refused.
/// </summary>
public sealed class DeleteRecordsTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualClock _clock = new();
    private LogStore _store;

    public DeleteRecordsTests()
    {
        _store = TestLogs.Open(_directory.Path, _clock);
    }

    [Fact]
    public void DeleteRecordsBefore_InsideASegment_ReadsBelowFailAndTheStartSurvivesAReopen()
    {
        var partition = TestLogs.CreatePartition(_store);
        for (var i = 0; i < 10; i++)
        {
            partition.Append(TestLogs.Batch(i, 1, _clock.NowMs));
        }

        Assert.Equal(4, partition.DeleteRecordsBefore(4));

        Assert.Equal(4, partition.LogStartOffset);
        Assert.Equal(1, partition.SegmentCount);
        var error = Assert.Throws<LogException>(() => partition.Read(3, 1024));
        Assert.Equal(LogErrorCode.OffsetOutOfRange, error.ErrorCode);
        TestLogs.AssertNumbered(TestLogs.ReadAll(partition), 4, 4, 6);

        Reopen();
        partition = _store.GetPartition(TestLogs.Topic, 0);
        Assert.Equal(4, partition.LogStartOffset);
        Assert.Throws<LogException>(() => partition.Read(3, 1024));
        Assert.Equal(10, partition.LogEndOffset);
    }

    [Fact]
    public void DeleteRecordsBefore_RemovesWholeSegmentsBelowAndKeepsTheOneHoldingTheStart()
    {
        var partition = TestLogs.CreatePartition(_store, new TopicConfig { SegmentBytes = 1024 });
        for (var i = 0; i < 30; i++)
        {
            partition.Append(TestLogs.Batch(i, 1, _clock.NowMs, valueBytes: 200));
        }

        var segmentsBefore = partition.SegmentCount;
        Assert.True(segmentsBefore > 3);

        partition.DeleteRecordsBefore(17);

        Assert.Equal(17, partition.LogStartOffset);
        Assert.True(partition.SegmentCount < segmentsBefore);
        Assert.Contains(partition.Segments, segment => segment.BaseOffset <= 17 && 17 < segment.NextOffset);
        Assert.All(partition.Segments, segment => Assert.True(segment.NextOffset > 17));
        TestLogs.AssertNumbered(TestLogs.ReadAll(partition), 17, 17, 13);
    }

    [Fact]
    public void DeleteRecordsBefore_MinusOne_DeletesUpToTheHighWatermark()
    {
        var partition = TestLogs.CreatePartition(_store);
        partition.Append(TestLogs.Batch(0, 5, _clock.NowMs));

        Assert.Equal(5, partition.DeleteRecordsBefore(-1));

        Assert.Equal(5, partition.LogStartOffset);
        Assert.True(partition.Read(5, 1024).Records.IsEmpty);
        Assert.Equal(5, partition.Append(TestLogs.Batch(5, 1, _clock.NowMs)).BaseOffset);
    }

    [Fact]
    public void DeleteRecordsBefore_AnOffsetAtOrBelowTheStart_ChangesNothing()
    {
        var partition = TestLogs.CreatePartition(_store);
        partition.Append(TestLogs.Batch(0, 10, _clock.NowMs));
        partition.DeleteRecordsBefore(6);

        Assert.Equal(6, partition.DeleteRecordsBefore(2));
        Assert.Equal(6, partition.DeleteRecordsBefore(6));
        Assert.Equal(6, partition.LogStartOffset);
    }

    [Theory]
    [InlineData(11L)]
    [InlineData(-2L)]
    public void DeleteRecordsBefore_AboveTheHighWatermarkOrNegative_RefusedAsOffsetOutOfRange(long offset)
    {
        var partition = TestLogs.CreatePartition(_store);
        partition.Append(TestLogs.Batch(0, 10, _clock.NowMs));

        var error = Assert.Throws<LogException>(() => partition.DeleteRecordsBefore(offset));

        Assert.Equal(LogErrorCode.OffsetOutOfRange, error.ErrorCode);
        Assert.Equal(0, partition.LogStartOffset);
    }

    [Fact]
    public void DeleteRecordsBefore_OnACompactOnlyTopic_RefusedAsPolicyViolation()
    {
        var partition = TestLogs.CreatePartition(_store, new TopicConfig { CleanupPolicy = CleanupPolicy.Compact });
        partition.Append(TestLogs.Batch(0, 10, _clock.NowMs));

        var error = Assert.Throws<LogException>(() => partition.DeleteRecordsBefore(5));

        Assert.Equal(LogErrorCode.PolicyViolation, error.ErrorCode);
        Assert.Equal(0, partition.LogStartOffset);
    }

    [Fact]
    public void TryFindOffsetByTimestamp_RecordsBeforeTheStart_AnswersTheStart()
    {
        var partition = TestLogs.CreatePartition(_store);
        var builder = new RecordBatchBuilder(CompressionType.None);
        for (var i = 0; i < 10; i++)
        {
            builder.Add(TestLogs.Record(i, 1_000 + i));
        }

        partition.Append(builder.Build());
        partition.DeleteRecordsBefore(4);

        Assert.True(partition.TryFindOffsetByTimestamp(1_001, out var offset));
        Assert.Equal(4, offset);
        Assert.True(partition.TryFindOffsetByTimestamp(1_007, out offset));
        Assert.Equal(7, offset);
    }

    [Fact]
    public void Open_TheStartIsPastTheRecoveredLogEnd_TheLogRestartsEmptyThere()
    {
        var partition = TestLogs.CreatePartition(_store);
        partition.Append(TestLogs.Batch(0, 10, _clock.NowMs));
        partition.DeleteRecordsBefore(8);
        var directory = partition.Directory;
        _store.Dispose();

        // As if no appended byte had been fsynced: the log recovers empty, below the recorded start.
        var logFile = Directory.GetFiles(directory, "*.log").Single();
        File.Delete(logFile);
        File.Delete(Path.ChangeExtension(logFile, ".index"));
        File.Delete(Path.ChangeExtension(logFile, ".timeindex"));
        _store = TestLogs.Open(_directory.Path, _clock);
        partition = _store.GetPartition(TestLogs.Topic, 0);

        Assert.Equal(8, partition.LogStartOffset);
        Assert.Equal(8, partition.LogEndOffset);
        Assert.Equal(8, partition.Append(TestLogs.Batch(8, 1, _clock.NowMs)).BaseOffset);
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    private void Reopen()
    {
        _store.Dispose();
        _store = TestLogs.Open(_directory.Path, _clock);
    }
}
