using Freshet.Log.Durability;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Tests.Records;
using Freshet.Log.Tests.TestSupport;
using Freshet.Log.Topics;

namespace Freshet.Log.Tests.Partitions;

/// <summary>
/// <see cref="Partition"/>: append and read, offset ranges, segment rolls by size and age, retention
/// by time and size, lookups by timestamp, and what each flush policy reports. Time comes from a
/// <see cref="ManualClock"/>, so nothing here depends on the machine's speed.
/// </summary>
public sealed class PartitionTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualClock _clock = new();
    private LogStore _store;

    public PartitionTests()
    {
        _store = TestLogs.Open(_directory.Path, _clock);
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Append_ThenRead_ReturnsSameRecordsAtAssignedOffsets(CompressionType compression)
    {
        var partition = TestLogs.CreatePartition(_store);
        var records = new[]
        {
            new LogRecord(_clock.NowMs, [1, 2], [3], [new RecordHeader("h", [9]), new RecordHeader("empty", null)]),
            new LogRecord(_clock.NowMs + 5, null, null),
            new LogRecord(_clock.NowMs - 5, [], []),
            new LogRecord(_clock.NowMs, [7], new byte[10_000]),
        };

        var first = partition.Append(RecordBatchBuilder.Build(records, compression));
        var second = partition.Append(RecordBatchBuilder.Build(records, compression, baseOffset: 999)); // the log assigns offsets

        Assert.Equal((0L, 3L), (first.BaseOffset, first.LastOffset));
        Assert.Equal((4L, 7L), (second.BaseOffset, second.LastOffset));
        Assert.False(first.IsDuplicate);
        Assert.Equal(_clock.NowMs, first.LogAppendTimeMs);
        Assert.Equal(8, partition.LogEndOffset);
        Assert.Equal(8, partition.HighWatermark);
        var expected = records.Concat(records).Select((r, i) => new LogRecord(r.Timestamp, r.Key, r.Value, r.Headers) { Offset = i }).ToList();
        RecordAssert.Equal(expected, TestLogs.ReadAll(partition));
    }

    [Fact]
    public void Append_SeveralBatchesInOneCall_StoredInOrderWithConsecutiveOffsets()
    {
        var partition = TestLogs.CreatePartition(_store);
        byte[] batches = [.. TestLogs.Batch(0, 2, _clock.NowMs), .. TestLogs.Batch(2, 3, _clock.NowMs, compression: CompressionType.Lz4), .. TestLogs.Batch(5, 1, _clock.NowMs)];

        var result = partition.Append(batches);

        Assert.Equal((0L, 5L), (result.BaseOffset, result.LastOffset));
        TestLogs.AssertNumbered(TestLogs.ReadAll(partition), 0, 0, 6);
        Assert.Equal([0L, 2L, 5L], RecordBatchReader.ReadBatches(partition.Read(0, int.MaxValue).Records).Select(b => b.Header.BaseOffset));
    }

    [Fact]
    public void Read_OutsideStoredRange_ThrowsOffsetOutOfRange()
    {
        var partition = TestLogs.CreatePartition(_store, new TopicConfig { SegmentBytes = 1024, RetentionBytes = 1500 });
        for (var i = 0; i < 20; i++)
        {
            partition.Append(TestLogs.Batch(i, 1, _clock.NowMs, valueBytes: 200));
        }

        partition.ApplyRetention();
        var start = partition.LogStartOffset;
        Assert.True(start > 0);

        Assert.Equal(LogErrorCode.OffsetOutOfRange, Assert.Throws<LogException>(() => partition.Read(start - 1, 1000)).ErrorCode);
        Assert.Equal(LogErrorCode.OffsetOutOfRange, Assert.Throws<LogException>(() => partition.Read(0, 1000)).ErrorCode);
        Assert.Equal(LogErrorCode.OffsetOutOfRange, Assert.Throws<LogException>(() => partition.Read(partition.LogEndOffset + 1, 1000)).ErrorCode);
        Assert.Equal(LogErrorCode.OffsetOutOfRange, Assert.Throws<LogException>(() => partition.Read(-1, 1000)).ErrorCode);
        Assert.False(partition.Read(start, 1000).Records.IsEmpty);
    }

    [Fact]
    public void Read_AtLogEnd_ReturnsEmptyWithPositions()
    {
        var partition = TestLogs.CreatePartition(_store);
        Assert.True(partition.Read(0, 100).Records.IsEmpty);
        partition.Append(TestLogs.Batch(0, 3, _clock.NowMs));

        var result = partition.Read(3, 100);

        Assert.True(result.Records.IsEmpty);
        Assert.Equal((0L, 3L, 3L), (result.LogStartOffset, result.HighWatermark, result.LogEndOffset));
    }

    [Fact]
    public void Read_MaxBytesSmallerThanBatch_ReturnsExactlyOneWholeBatch()
    {
        var partition = TestLogs.CreatePartition(_store);
        var first = TestLogs.Batch(0, 4, _clock.NowMs, valueBytes: 500);
        partition.Append(first);
        partition.Append(TestLogs.Batch(4, 4, _clock.NowMs, valueBytes: 500));

        var data = partition.Read(0, 1).Records;

        Assert.Equal(first.Length, data.Length);
        // Stored bytes unchanged but for BaseOffset and PartitionLeaderEpoch, which the log assigns.
        Assert.Equal(first.AsSpan(8, 4).ToArray(), data.Span[8..12].ToArray());
        Assert.Equal(first.AsSpan(16).ToArray(), data.Span[16..].ToArray());
        Assert.Equal(Partition.LeaderEpoch, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data.Span[12..]));
    }

    [Fact]
    public void Read_OffsetInsideBatch_ReturnsTheWholeBatchHoldingIt()
    {
        var partition = TestLogs.CreatePartition(_store);
        partition.Append(TestLogs.Batch(0, 5, _clock.NowMs));
        partition.Append(TestLogs.Batch(5, 5, _clock.NowMs));

        var batches = RecordBatchReader.ReadBatches(partition.Read(7, 1).Records).ToArray();

        Assert.Equal((5L, 9L), (Assert.Single(batches).Header.BaseOffset, batches[0].Header.LastOffset));
    }

    [Fact]
    public void Append_SegmentFull_RollsWithoutSplittingBatches()
    {
        var config = new TopicConfig { SegmentBytes = 2048 };
        var partition = TestLogs.CreatePartition(_store, config);
        var big = TestLogs.Batch(1000, 1, _clock.NowMs, valueBytes: 3000); // larger than a segment: gets one to itself
        for (var i = 0; i < 30; i++)
        {
            partition.Append(i == 12 ? big : TestLogs.Batch(i, 1, _clock.NowMs, valueBytes: 150 + (i * 13)));
        }

        Assert.True(partition.SegmentCount >= 4, $"{partition.SegmentCount} segments");
        foreach (var log in TestLogs.SegmentLogs(partition.Directory))
        {
            var size = new FileInfo(log).Length;
            Assert.True(size <= config.SegmentBytes || size == big.Length, $"{log} holds {size} bytes");
        }

        Assert.Equal(30, TestLogs.ReadAll(partition).Count);
    }

    [Fact]
    public void Append_ActiveSegmentOlderThanSegmentMs_Rolls()
    {
        var partition = TestLogs.CreatePartition(_store, new TopicConfig { SegmentMs = 60_000 });
        partition.Append(TestLogs.Batch(0, 1, _clock.NowMs));
        _clock.Advance(59_999);
        partition.Append(TestLogs.Batch(1, 1, _clock.NowMs));
        Assert.Equal(1, partition.SegmentCount);

        _clock.Advance(1);
        partition.Append(TestLogs.Batch(2, 1, _clock.NowMs));

        Assert.Equal(2, partition.SegmentCount);
        Assert.Equal(2, partition.Segments[^1].BaseOffset);
        TestLogs.AssertNumbered(TestLogs.ReadAll(partition), 0, 0, 3);
    }

    [Fact]
    public void Roll_EmptyActiveSegment_DoesNothing()
    {
        var partition = TestLogs.CreatePartition(_store);
        partition.Roll();
        Assert.Equal(1, partition.SegmentCount);
        partition.Append(TestLogs.Batch(0, 1, _clock.NowMs));
        partition.Roll();
        partition.Roll();
        Assert.Equal(2, partition.SegmentCount);
    }

    [Fact]
    public void ApplyRetention_SegmentsOlderThanRetentionMs_DeletesThemWholeAndAdvancesLogStart()
    {
        var partition = TestLogs.CreatePartition(_store, new TopicConfig { RetentionMs = 10_000 });
        for (var segment = 0; segment < 3; segment++)
        {
            partition.Append(TestLogs.Batch(segment * 2, 2, _clock.NowMs));
            partition.Roll();
            _clock.Advance(6_000);
        }

        partition.Append(TestLogs.Batch(6, 2, _clock.NowMs));
        var firstLog = TestLogs.SegmentLogs(partition.Directory)[0];

        // Now: segment 0's newest record is 18 s old, segment 1's 12 s, segment 2's 6 s.
        Assert.Equal(2, partition.ApplyRetention());

        Assert.Equal(4, partition.LogStartOffset);
        Assert.Equal(2, partition.SegmentCount);
        Assert.False(File.Exists(firstLog));
        TestLogs.AssertNumbered(TestLogs.ReadAll(partition), 4, 4, 4);
        Assert.Equal(0, partition.ApplyRetention());
    }

    [Fact]
    public void ApplyRetention_EverythingExpired_LeavesEmptyLogAtLogEnd()
    {
        var partition = TestLogs.CreatePartition(_store, new TopicConfig { RetentionMs = 1_000 });
        partition.Append(TestLogs.Batch(0, 2, _clock.NowMs));
        partition.Roll();
        partition.Append(TestLogs.Batch(2, 3, _clock.NowMs));
        _clock.Advance(1_001);

        partition.ApplyRetention();

        Assert.Equal((5L, 5L), (partition.LogStartOffset, partition.LogEndOffset));
        Assert.True(partition.Read(5, 100).Records.IsEmpty);
        Assert.Equal(5, partition.Append(TestLogs.Batch(5, 1, _clock.NowMs)).BaseOffset);
    }

    [Fact]
    public void ApplyRetention_LargerThanRetentionBytes_DeletesOldestWholeSegments()
    {
        var partition = TestLogs.CreatePartition(_store, new TopicConfig { SegmentBytes = 1024, RetentionBytes = 2500 });
        for (var i = 0; i < 30; i++)
        {
            partition.Append(TestLogs.Batch(i, 1, _clock.NowMs, valueBytes: 200));
        }

        var sizeBefore = partition.SizeBytes;
        var deleted = partition.ApplyRetention();

        Assert.True(deleted > 0);
        var segments = partition.Segments;
        Assert.True(partition.SizeBytes - segments[0].Size < 2500, "one more segment could have gone");
        Assert.True(partition.SizeBytes < sizeBefore);
        Assert.Equal(segments[0].BaseOffset, partition.LogStartOffset);
        var records = TestLogs.ReadAll(partition);
        TestLogs.AssertNumbered(records, partition.LogStartOffset, partition.LogStartOffset, (int)(30 - partition.LogStartOffset));
    }

    [Fact]
    public void RunMaintenance_RetentionDue_AppliesItToEveryPartition()
    {
        _store.CreateTopic("t", 2, new TopicConfig { RetentionMs = 1_000 });
        foreach (var id in new[] { 0, 1 })
        {
            var partition = _store.GetPartition("t", id);
            partition.Append(TestLogs.Batch(0, 1, _clock.NowMs));
            partition.Roll();
            partition.Append(TestLogs.Batch(1, 1, _clock.NowMs + 5_000));
        }

        _clock.Advance(2_000);
        _store.RunMaintenance();

        Assert.All(_store.DescribeTopic("t").Partitions, p => Assert.Equal(1, p.LogStartOffset));
    }

    [Fact]
    public void TryFindOffsetByTimestamp_AcrossSegments_FirstOffsetAtOrAfterTimestamp()
    {
        var partition = TestLogs.CreatePartition(_store, new TopicConfig { SegmentBytes = 1024, IndexIntervalBytes = 100 });
        var timestamps = new List<long>();
        var builder = new RecordBatchBuilder();
        for (var batch = 0; batch < 40; batch++)
        {
            builder.Reset();
            for (var i = 0; i < 3; i++)
            {
                // Mostly increasing, with a step back inside some batches, as producers with skewed clocks write.
                var timestamp = 1_000 + (batch * 100) + (i == 1 && batch % 4 == 0 ? -150 : i * 10);
                timestamps.Add(timestamp);
                builder.Add(timestamp, new byte[] { (byte)i }, new byte[60]);
            }

            partition.Append(builder.Build());
        }

        Assert.True(partition.SegmentCount > 3);
        foreach (var target in timestamps.Concat([0, 999, 1_000, 4_950, 4_921, 5_000]).Distinct())
        {
            var expected = timestamps.FindIndex(t => t >= target);
            Assert.Equal(expected >= 0, partition.TryFindOffsetByTimestamp(target, out var offset));
            Assert.True(expected == offset, $"timestamp {target}: expected {expected}, got {offset}");
        }
    }

    [Fact]
    public void Append_FlushPolicyEveryAppend_EveryAppendDurable()
    {
        var partition = TestLogs.CreatePartition(_store, new TopicConfig { FlushPolicy = FlushPolicy.EveryAppend });
        for (var i = 0; i < 3; i++)
        {
            Assert.True(partition.Append(TestLogs.Batch(i, 1, _clock.NowMs)).IsDurable);
            Assert.Equal(partition.LogEndOffset, partition.DurableEndOffset);
        }
    }

    [Fact]
    public void Append_FlushPolicyBytes_DurableOnceThresholdCrossed()
    {
        var batch = TestLogs.Batch(0, 1, _clock.NowMs, valueBytes: 100);
        var partition = TestLogs.CreatePartition(_store, new TopicConfig { FlushPolicy = FlushPolicy.Bytes((batch.Length * 3) - 1) });

        Assert.False(partition.Append(batch).IsDurable);
        Assert.False(partition.Append(batch).IsDurable);
        Assert.Equal(0, partition.DurableEndOffset);
        Assert.True(partition.Append(batch).IsDurable);
        Assert.Equal(3, partition.DurableEndOffset);
        Assert.False(partition.Append(batch).IsDurable); // the count starts again after a flush
    }

    [Fact]
    public void Append_FlushPolicyOperatingSystem_NeverDurableUntilFlushOrRoll()
    {
        var partition = TestLogs.CreatePartition(_store, new TopicConfig { FlushPolicy = FlushPolicy.OperatingSystem });
        for (var i = 0; i < 5; i++)
        {
            Assert.False(partition.Append(TestLogs.Batch(i, 1, _clock.NowMs, valueBytes: 10_000)).IsDurable);
        }

        Assert.Equal(0, partition.DurableEndOffset);
        partition.Flush();
        Assert.Equal(5, partition.DurableEndOffset);
        partition.Append(TestLogs.Batch(5, 1, _clock.NowMs));
        partition.Roll();
        Assert.Equal(6, partition.DurableEndOffset);
    }

    [Fact]
    public void Append_FlushPolicyInterval_DurableOnceOldestUnflushedAppendIsDue()
    {
        var partition = TestLogs.CreatePartition(_store, new TopicConfig { FlushPolicy = FlushPolicy.Interval(1_000) });
        Assert.False(partition.Append(TestLogs.Batch(0, 1, _clock.NowMs)).IsDurable);
        _clock.Advance(999);
        Assert.False(partition.Append(TestLogs.Batch(1, 1, _clock.NowMs)).IsDurable);
        _clock.Advance(1);
        Assert.True(partition.Append(TestLogs.Batch(2, 1, _clock.NowMs)).IsDurable);
        Assert.Equal(3, partition.DurableEndOffset);
    }

    [Fact]
    public async Task Read_WhileWriterAppendsAndRolls_NeverSeesPartialOrCorruptBatch()
    {
        var partition = TestLogs.CreatePartition(_store, new TopicConfig { SegmentBytes = 4096, IndexIntervalBytes = 512 });
        const int Batches = 1500;
        var codecs = new[] { CompressionType.None, CompressionType.Lz4, CompressionType.None, CompressionType.Zstd };
        using var writerDone = new ManualResetEventSlim();
        var writer = Task.Run(() =>
        {
            try
            {
                var number = 0L;
                for (var i = 0; i < Batches; i++)
                {
                    var count = 1 + (i % 4);
                    partition.Append(TestLogs.Batch(number, count, _clock.NowMs, valueBytes: 20 + (i % 300), compression: codecs[i % codecs.Length]));
                    number += count;
                }
            }
            finally
            {
                writerDone.Set();
            }
        });

        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            // Each reader follows the log from 0 like a consumer: every batch must be whole and valid,
            // and the records seen must be exactly record 0, 1, 2, ... in order (a prefix of what was appended).
            var random = new Random(r);
            long next = 0;
            while (true)
            {
                var done = writerDone.IsSet;
                var result = partition.Read(next, random.Next(1, 16 * 1024));
                var covered = 0;
                foreach (var (header, bytes) in RecordBatchReader.ReadBatches(result.Records))
                {
                    covered += bytes.Length;
                    Assert.Equal(header.Crc, RecordBatchHeader.ComputeCrc(bytes.Span));
                    foreach (var record in RecordBatchReader.DecodeBatch(bytes.Span))
                    {
                        if (record.Offset >= next)
                        {
                            Assert.Equal(next, record.Offset);
                            Assert.Equal($"key-{next}", TestLogs.KeyOf(record));
                            next++;
                        }
                    }
                }

                Assert.Equal(result.Records.Length, covered);
                if (done && next == partition.LogEndOffset)
                {
                    return next;
                }
            }
        })).ToArray();

        await writer;
        var expectedRecords = Enumerable.Range(0, Batches).Sum(i => 1 + (i % 4));
        Assert.All(await Task.WhenAll(readers), seen => Assert.Equal(expectedRecords, seen));
        Assert.True(partition.SegmentCount > 10);
    }

    [Fact]
    public void Append_AfterStoreDisposed_ThrowsObjectDisposed()
    {
        var partition = TestLogs.CreatePartition(_store);
        _store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => partition.Append(TestLogs.Batch(0, 1, _clock.NowMs)));
        _store = TestLogs.Open(_directory.Path, _clock);
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }
}
