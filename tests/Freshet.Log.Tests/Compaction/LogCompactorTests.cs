using System.Text;
using Freshet.Log.Records;
using Freshet.Log.Topics;

namespace Freshet.Log.Tests.Compaction;

public class LogCompactorTests
{
    [Fact]
    public void Compact_SupersededValues_KeepsLatestValuePerKeyAtOriginalOffsets()
    {
        using var log = new LogFixture();
        log.Append(("a", "a1"), ("b", "b1"));   // 0, 1
        log.Append(("a", "a2"), ("c", "c1"));   // 2, 3
        log.Append(("b", "b2"));                // 4
        log.Partition.Roll();
        log.Append(("d", "d1"));                // 5, active

        var result = log.Partition.Compact();

        Assert.Equal(["2 a=a2", "3 c=c1", "4 b=b2", "5 d=d1"], LogFixture.Describe(LogFixture.ReadAll(log.Partition)));
        Assert.Equal(2, result.RecordsRemoved);
        Assert.Equal(1, result.SegmentsRewritten);
        Assert.Equal(0, log.Partition.LogStartOffset);
        Assert.Equal(6, log.Partition.LogEndOffset);
    }

    [Fact]
    public void Compact_RewrittenBatch_KeepsBaseOffsetAndLastOffset()
    {
        using var log = new LogFixture();
        log.Append(("a", "1"), ("b", "1"), ("c", "1"));   // 0..2
        log.Append(("a", "2"), ("c", "2"));               // 3..4
        log.Partition.Roll();

        log.Partition.Compact();

        var batches = LogFixture.ReadBatches(log.Partition);
        Assert.Equal(2, batches.Count);
        Assert.Equal(0, batches[0].Header.BaseOffset);
        Assert.Equal(2, batches[0].Header.LastOffset);
        Assert.Equal(1, batches[0].Header.RecordCount);
        Assert.Equal(["1 b=1"], LogFixture.Describe(RecordBatchReader.DecodeBatch(batches[0].Bytes)));
        Assert.Equal(3, batches[1].Header.BaseOffset);
    }

    [Fact]
    public void Compact_UnchangedBatch_IsCopiedByteForByte()
    {
        using var log = new LogFixture();
        log.Append(("a", "1"));
        log.Append(("keep", "x"), ("also", "y"));
        log.Append(("a", "2"));
        log.Partition.Roll();
        var before = LogFixture.ReadBatches(log.Partition)[1].Bytes;

        log.Partition.Compact();

        var batches = LogFixture.ReadBatches(log.Partition);
        Assert.Equal(before, batches[0].Bytes);
    }

    [Fact]
    public void Compact_NewerValueInActiveSegment_SupersedesSealedRecordsAndLeavesActiveAlone()
    {
        using var log = new LogFixture();
        log.Append(("a", "old"), ("b", "old"));
        log.Partition.Roll();
        log.Append(("a", "new"));
        log.Append(("a", "newer"));
        var activeBefore = File.ReadAllBytes(log.Partition.Segments[^1].LogPath);

        log.Partition.Compact();

        Assert.Equal(["1 b=old", "2 a=new", "3 a=newer"], LogFixture.Describe(LogFixture.ReadAll(log.Partition)));
        Assert.Equal(activeBefore, File.ReadAllBytes(log.Partition.Segments[^1].LogPath));
    }

    [Fact]
    public void Compact_Tombstone_KeptUntilDeleteRetentionPassesThenDropped()
    {
        using var log = new LogFixture(LogFixture.CompactConfig(deleteRetentionMs: 1_000));
        log.Append(("a", "1"), ("b", "1"));
        log.Append(("a", null));
        log.Partition.Roll();
        log.Append(("c", "1"));

        log.Partition.Compact();
        Assert.Equal(["1 b=1", "2 a=<null>", "3 c=1"], LogFixture.Describe(LogFixture.ReadAll(log.Partition)));

        log.Clock.Advance(1_000);
        var atLimit = log.Partition.Compact();
        Assert.Equal(0, atLimit.RecordsRemoved);
        Assert.Contains("2 a=<null>", LogFixture.Describe(LogFixture.ReadAll(log.Partition)));

        log.Clock.Advance(1);
        var expired = log.Partition.Compact();
        Assert.False(expired.Skipped);
        Assert.Equal(1, expired.RecordsRemoved);
        Assert.Equal(["1 b=1", "3 c=1"], LogFixture.Describe(LogFixture.ReadAll(log.Partition)));
    }

    [Fact]
    public void Compact_TombstoneInActiveSegment_IsNeverDropped()
    {
        using var log = new LogFixture(LogFixture.CompactConfig(deleteRetentionMs: 1_000));
        log.Append(("a", "1"));
        log.Partition.Roll();
        log.Append(("a", null));
        log.Clock.Advance(10_000);

        log.Partition.Compact();

        Assert.Equal(["1 a=<null>"], LogFixture.Describe(LogFixture.ReadAll(log.Partition)));
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Compact_CompressedBatches_KeepCodecAndLatestValues(CompressionType codec)
    {
        using var log = new LogFixture();
        log.Append(codec, [.. Enumerable.Range(0, 10).Select(i => ($"k{i}", (string?)$"v1-{i}"))]);   // 0..9
        log.Append(codec, [.. Enumerable.Range(0, 5).Select(i => ($"k{i}", (string?)$"v2-{i}"))]);    // 10..14
        log.Partition.Roll();

        log.Partition.Compact();

        var batches = LogFixture.ReadBatches(log.Partition);
        Assert.Equal(codec, batches[0].Header.Compression);
        Assert.Equal(9, batches[0].Header.LastOffset);
        var expected = Enumerable.Range(5, 5).Select(i => $"{i} k{i}=v1-{i}").Concat(Enumerable.Range(0, 5).Select(i => $"{10 + i} k{i}=v2-{i}"));
        Assert.Equal(expected, LogFixture.Describe(LogFixture.ReadAll(log.Partition)));
    }

    [Fact]
    public void Compact_IdempotentProducerBatch_KeepsProducerFieldsAndSequenceRange()
    {
        using var log = new LogFixture();
        var first = new RecordBatchBuilder { ProducerId = 7, ProducerEpoch = 3, BaseSequence = 0 };
        first.Add(log.Clock.NowMs, Encoding.UTF8.GetBytes("a"), Encoding.UTF8.GetBytes("1"));
        first.Add(log.Clock.NowMs, Encoding.UTF8.GetBytes("b"), Encoding.UTF8.GetBytes("1"));
        first.Add(log.Clock.NowMs, Encoding.UTF8.GetBytes("c"), Encoding.UTF8.GetBytes("1"));
        log.Partition.Append(first.Build());
        log.Append(("a", "2"), ("c", "2"));
        log.Partition.Roll();

        log.Partition.Compact();

        var header = LogFixture.ReadBatches(log.Partition)[0].Header;
        Assert.Equal(7, header.ProducerId);
        Assert.Equal(3, header.ProducerEpoch);
        Assert.Equal(0, header.BaseSequence);
        Assert.Equal(2, header.LastSequence);
        Assert.Equal(1, header.RecordCount);
    }

    [Fact]
    public void Compact_ProducersLastBatchFullySuperseded_KeepsEmptyBatchThatStillFencesDuplicates()
    {
        using var log = new LogFixture();
        byte[] Idempotent(int sequence, string value)
        {
            var builder = new RecordBatchBuilder { ProducerId = 9, ProducerEpoch = 0, BaseSequence = sequence };
            builder.Add(log.Clock.NowMs, Encoding.UTF8.GetBytes("a"), Encoding.UTF8.GetBytes(value));
            return builder.Build();
        }

        log.Partition.Append(Idempotent(0, "1"));   // 0: superseded, not the producer's last batch: dropped
        log.Partition.Append(Idempotent(1, "2"));   // 1: superseded, the producer's last batch: kept empty
        log.Append(("a", "3"));                      // 2
        log.Partition.Roll();

        log.Partition.Compact();

        var batches = LogFixture.ReadBatches(log.Partition);
        Assert.Equal(2, batches.Count);
        Assert.Equal((1L, 9L, 1, 0), (batches[0].Header.BaseOffset, batches[0].Header.ProducerId, batches[0].Header.BaseSequence, batches[0].Header.RecordCount));
        Assert.Empty(RecordBatchReader.DecodeBatch(batches[0].Bytes));
        Assert.Equal(["2 a=3"], LogFixture.Describe(LogFixture.ReadAll(log.Partition)));

        // Rebuilt from the log alone, the producer state still knows sequence 1.
        log.Store.Dispose();
        File.Delete(Path.Combine(log.PartitionDirectory, "producer-state.snapshot"));
        log.Reopen();
        var duplicate = log.Partition.Append(Idempotent(1, "2"));
        Assert.True(duplicate.IsDuplicate);
        Assert.Equal(1, duplicate.BaseOffset);
    }

    [Fact]
    public void Compact_EverySegmentRecordSuperseded_RemovesMiddleSegmentButKeepsFirst()
    {
        using var log = new LogFixture();
        log.Append(("a", "1"));   // 0: segment 0
        log.Partition.Roll();
        log.Append(("b", "1"));   // 1: segment 1
        log.Partition.Roll();
        log.Append(("c", "1"));   // 2: segment 2
        log.Partition.Roll();
        log.Append(("a", "2"), ("b", "2"));   // 3, 4: active

        var result = log.Partition.Compact();

        Assert.Equal((1, 1), (result.SegmentsRewritten, result.SegmentsRemoved));
        Assert.Equal([0L, 2L, 3L], log.Partition.Segments.Select(s => s.BaseOffset));
        Assert.Equal(0, log.Partition.LogStartOffset);
        Assert.Equal(["2 c=1", "3 a=2", "4 b=2"], LogFixture.Describe(LogFixture.ReadAll(log.Partition)));
        Assert.Equal("2 c=1", LogFixture.Describe(RecordBatchReader.ReadRecords(log.Partition.Read(1, 1 << 20).Records))[0]);
        Assert.False(File.Exists(Path.Combine(log.PartitionDirectory, "00000000000000000001.log")));
    }

    [Fact]
    public void Compact_NothingChangedSinceLastPass_SkipsUntilAnAppend()
    {
        using var log = new LogFixture();
        log.Append(("a", "1"));
        log.Append(("a", "2"));
        log.Partition.Roll();
        log.Append(("b", "1"));

        Assert.False(log.Partition.Compact().Skipped);
        Assert.True(log.Partition.Compact().Skipped);

        log.Append(("b", "2"));
        Assert.False(log.Partition.Compact().Skipped);
    }

    [Fact]
    public void Compact_DeleteOnlyTopic_ChangesNothing()
    {
        using var log = new LogFixture(new TopicConfig { CleanupPolicy = CleanupPolicy.Delete });
        log.Append(("a", "1"));
        log.Append(("a", "2"));
        log.Partition.Roll();

        var result = log.Partition.Compact();

        Assert.Equal(0, result.RecordsRemoved);
        Assert.Equal(2, LogFixture.ReadAll(log.Partition).Count);
    }

    [Fact]
    public void Compact_Cancelled_LeavesNoCleanedFileAndDataIntact()
    {
        using var log = new LogFixture();
        log.Append(("a", "1"));
        log.Append(("a", "2"));
        log.Partition.Roll();

        Assert.ThrowsAny<OperationCanceledException>(() => log.Partition.Compact(new CancellationToken(canceled: true)));

        Assert.Empty(Directory.GetFiles(log.PartitionDirectory, "*.cleaned"));
        Assert.Equal(2, LogFixture.ReadAll(log.Partition).Count);
    }

    [Fact]
    public void RunMaintenance_CompactedTopic_CompactsItsPartitions()
    {
        using var log = new LogFixture();
        log.Append(("a", "1"));
        log.Append(("a", "2"));
        log.Partition.Roll();

        log.Store.RunMaintenance();

        Assert.Equal(["1 a=2"], LogFixture.Describe(LogFixture.ReadAll(log.Partition)));
    }

    [Fact]
    public void ApplyRetention_EmptyFirstSegmentLeftByCompaction_StillDeletesExpiredSegments()
    {
        // Regression: retention stopped counting at the first empty segment, which before compaction
        // could only be the active one; an emptied first segment then blocked retention for ever.
        var config = LogFixture.CompactConfig() with { CleanupPolicy = CleanupPolicy.Compact | CleanupPolicy.Delete, RetentionMs = 60_000 };
        using var log = new LogFixture(config);
        log.Append(("a", "1"));
        log.Partition.Roll();
        log.Append(("b", "1"));
        log.Partition.Roll();
        log.Append(("a", "2"));
        log.Partition.Compact();
        Assert.True(log.Partition.Segments[0].IsEmpty);

        log.Clock.Advance(120_000);
        var deleted = log.Partition.ApplyRetention();

        Assert.True(deleted >= 2, $"deleted {deleted} segments");
        Assert.True(log.Partition.LogStartOffset >= 2);
    }
}
