using System.Buffers.Binary;
using System.Text;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Tests.Records;
using Freshet.Log.Tests.TestSupport;
using Freshet.Log.Topics;

namespace Freshet.Log.Tests.Durability;

/// <summary>
/// Damaged files on disk (DESIGN.md, "Bad input"): a torn or corrupt tail of the active segment is
/// truncated at the first invalid batch and reported; damaged index files are rebuilt; corruption
/// inside a sealed segment drops nothing and makes only reads that reach it fail, with
/// <see cref="LogErrorCode.KafkaStorageError"/> naming the file and position; a damaged producer
/// snapshot is rebuilt from the log; a damaged <c>topic.json</c> makes <see cref="LogStore.Open"/>
/// fail with a <see cref="LogException"/> naming the file.
/// </summary>
public sealed class CorruptionTests : IDisposable
{
    private const int RecordsPerBatch = 3;

    private readonly TempDirectory _directory = new();
    private readonly ManualClock _clock = new();

    /// <summary>Small segments and a dense index, so a few dozen batches make several sealed segments with several index entries each.</summary>
    private static readonly TopicConfig SmallSegments = new() { SegmentBytes = 2048, IndexIntervalBytes = 200 };

    [Theory]
    [InlineData(0, 30)] // records section of the first batch: everything goes
    [InlineData(6, 40)]
    [InlineData(9, -1)] // last byte of the file
    [InlineData(6, 8)] // BatchLength field
    [InlineData(6, 16)] // magic
    [InlineData(6, 18)] // CRC field
    [InlineData(6, 23)] // LastOffsetDelta
    public void Open_ActiveSegmentByteFlipped_TruncatesAtFirstInvalidBatchAndAppendsContinue(int corruptBatch, int byteInBatch)
    {
        var sizes = WriteBatches(count: 10, TopicConfig.Default);
        var logFile = Assert.Single(TestLogs.SegmentLogs(PartitionDirectory));
        var batchStart = sizes.Take(corruptBatch).Sum();
        FlipByte(logFile, byteInBatch >= 0 ? batchStart + byteInBatch : new FileInfo(logFile).Length - 1);

        using var store = OpenStore();
        var partition = store.GetPartition(TestLogs.Topic, 0);
        var survivingOffsets = corruptBatch * RecordsPerBatch;
        Assert.Equal(survivingOffsets, partition.LogEndOffset);
        Assert.Equal(batchStart, new FileInfo(logFile).Length);
        // (A producer snapshot taken past the new log end is also reported, and rebuilt.)
        var line = Assert.Single(store.RecoveryReport, l => l.Contains("truncated", StringComparison.Ordinal));
        Assert.Contains(logFile, line, StringComparison.Ordinal);
        Assert.Contains($"at byte {batchStart}", line, StringComparison.Ordinal);
        TestLogs.AssertNumbered(TestLogs.ReadAll(partition), 0, 0, survivingOffsets);

        var appended = partition.Append(TestLogs.Batch(1000, 2, _clock.NowMs));
        Assert.Equal(survivingOffsets, appended.BaseOffset);
        Assert.Equal(survivingOffsets + 2, partition.LogEndOffset);
        TestLogs.AssertNumbered(TestLogs.ReadAll(partition).Skip(survivingOffsets).ToList(), 1000, survivingOffsets, 2);
    }

    [Theory]
    [InlineData(1)] // one byte of the last batch missing
    [InlineData(7)]
    [InlineData(-30)] // cut inside the last batch's 61-byte header: keep 30 bytes of it
    [InlineData(-5)] // cut inside the BaseOffset/BatchLength prefix
    public void Open_ActiveSegmentCutMidBatch_TruncatesToLastWholeBatch(int cut)
    {
        var sizes = WriteBatches(count: 8, TopicConfig.Default);
        var logFile = Assert.Single(TestLogs.SegmentLogs(PartitionDirectory));
        var wholeBytes = sizes.Take(7).Sum();
        var newLength = cut > 0 ? sizes.Sum() - cut : wholeBytes - cut;
        using (var stream = new FileStream(logFile, FileMode.Open))
        {
            stream.SetLength(newLength);
        }

        using var store = OpenStore();
        var partition = store.GetPartition(TestLogs.Topic, 0);
        Assert.Equal(7 * RecordsPerBatch, partition.LogEndOffset);
        Assert.Equal(wholeBytes, new FileInfo(logFile).Length);
        Assert.Contains(store.RecoveryReport, l => l.Contains("truncated", StringComparison.Ordinal) && l.Contains($"dropping {newLength - wholeBytes} bytes", StringComparison.Ordinal));
        TestLogs.AssertNumbered(TestLogs.ReadAll(partition), 0, 0, 7 * RecordsPerBatch);
        Assert.Equal(7 * RecordsPerBatch, partition.Append(TestLogs.Batch(500, 1, _clock.NowMs)).BaseOffset);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(61)]
    [InlineData(4096)] // a zero-filled block, as a file system may leave after a crash
    public void Open_ZerosAfterLastBatch_TruncatesThemAndKeepsEveryBatch(int zeros)
    {
        var sizes = WriteBatches(count: 4, TopicConfig.Default);
        var logFile = Assert.Single(TestLogs.SegmentLogs(PartitionDirectory));
        using (var stream = new FileStream(logFile, FileMode.Append))
        {
            stream.Write(new byte[zeros]);
        }

        using var store = OpenStore();
        var partition = store.GetPartition(TestLogs.Topic, 0);
        Assert.Equal(4 * RecordsPerBatch, partition.LogEndOffset);
        Assert.Equal(sizes.Sum(), new FileInfo(logFile).Length);
        Assert.Contains(store.RecoveryReport, l => l.Contains($"dropping {zeros} bytes", StringComparison.Ordinal));
        TestLogs.AssertNumbered(TestLogs.ReadAll(partition), 0, 0, 4 * RecordsPerBatch);
    }

    [Fact]
    public void Open_ActiveSegmentBaseOffsetFieldFlipped_TruncatesInsteadOfJumpingOffsets()
    {
        // BaseOffset is the one header field the CRC does not cover; a jump in it must not move LogEndOffset.
        var sizes = WriteBatches(count: 5, TopicConfig.Default);
        var logFile = Assert.Single(TestLogs.SegmentLogs(PartitionDirectory));
        FlipByte(logFile, sizes.Take(3).Sum() + 2);

        using var store = OpenStore();
        var partition = store.GetPartition(TestLogs.Topic, 0);
        Assert.Equal(3 * RecordsPerBatch, partition.LogEndOffset);
        Assert.Contains(store.RecoveryReport, l => l.Contains("truncated", StringComparison.Ordinal));
        TestLogs.AssertNumbered(TestLogs.ReadAll(partition), 0, 0, 3 * RecordsPerBatch);
        Assert.Equal(3 * RecordsPerBatch, partition.Append(TestLogs.Batch(500, 1, _clock.NowMs)).BaseOffset);
    }

    [Theory]
    [InlineData(IndexDamage.Deleted)]
    [InlineData(IndexDamage.Empty)] // consistent (no entries, a valid sparse index): kept, and reads scan from the start
    [InlineData(IndexDamage.RandomBytes)]
    [InlineData(IndexDamage.OddLength)]
    [InlineData(IndexDamage.FromAnotherSegment)]
    public void Open_SealedSegmentIndexesDamaged_RebuildsThemAndReadsAndTimestampLookupsAgree(IndexDamage damage)
    {
        WriteBatches(count: 40, SmallSegments, timestampStep: 1000);
        List<LogRecord> expected;
        long[] lookups;
        using (var store = OpenStore())
        {
            var partition = store.GetPartition(TestLogs.Topic, 0);
            Assert.True(partition.SegmentCount >= 4, $"only {partition.SegmentCount} segments");
            expected = TestLogs.ReadAll(partition);
            lookups = TimestampLookups(partition, expected);
        }

        var sealedLogs = TestLogs.SegmentLogs(PartitionDirectory)[..^1];
        for (var i = 0; i < sealedLogs.Length; i++)
        {
            var other = sealedLogs[(i + 1) % sealedLogs.Length];
            DamageIndex(Path.ChangeExtension(sealedLogs[i], ".index"), Path.ChangeExtension(other, ".index"), damage, seed: i);
            DamageIndex(Path.ChangeExtension(sealedLogs[i], ".timeindex"), Path.ChangeExtension(other, ".timeindex"), damage, seed: 100 + i);
        }

        using (var store = OpenStore())
        {
            var partition = store.GetPartition(TestLogs.Topic, 0);
            foreach (var log in damage == IndexDamage.Empty ? [] : sealedLogs)
            {
                Assert.Contains(store.RecoveryReport, l => l.Contains("rebuilt the indexes", StringComparison.Ordinal) && l.Contains(log, StringComparison.Ordinal));
                Assert.True(File.Exists(Path.ChangeExtension(log, ".index")));
                Assert.True(File.Exists(Path.ChangeExtension(log, ".timeindex")));
            }

            RecordAssert.Equal(expected, TestLogs.ReadAll(partition));
            AssertEveryOffsetReadable(partition, expected);
            Assert.Equal(lookups, TimestampLookups(partition, expected));
        }

        using (var store = OpenStore())
        {
            // The rebuilt (or kept) files are good: the next open trusts them.
            Assert.DoesNotContain(store.RecoveryReport, l => l.Contains("rebuilt", StringComparison.Ordinal));
            var partition = store.GetPartition(TestLogs.Topic, 0);
            AssertEveryOffsetReadable(partition, expected);
            Assert.Equal(lookups, TimestampLookups(partition, expected));
        }
    }

    [Theory]
    [InlineData(40)] // inside the CRC-covered header
    [InlineData(70)] // inside the records
    public void Open_SealedSegmentByteFlipped_DropsNothingAndReadsReachingItFailNamingFileAndPosition(int byteInBatch)
    {
        var sizes = WriteBatches(count: 30, SmallSegments);
        var logs = TestLogs.SegmentLogs(PartitionDirectory);
        Assert.True(logs.Length >= 3, $"only {logs.Length} segments");
        var damaged = logs[1];
        var segmentBase = long.Parse(Path.GetFileNameWithoutExtension(damaged), System.Globalization.CultureInfo.InvariantCulture);
        var firstBatchInSegment = (int)(segmentBase / RecordsPerBatch);

        // Damage the second batch of the segment, so the segment's first batch stays readable.
        var position = sizes[firstBatchInSegment] + byteInBatch;
        FlipByte(damaged, position);
        var damagedOffset = segmentBase + RecordsPerBatch;

        using var store = OpenStore();
        var partition = store.GetPartition(TestLogs.Topic, 0);
        Assert.Equal(30 * RecordsPerBatch, partition.LogEndOffset);
        Assert.Equal(logs.Length, partition.SegmentCount);
        Assert.Equal(logs.Select(f => new FileInfo(f).Length), TestLogs.SegmentLogs(PartitionDirectory).Select(f => new FileInfo(f).Length));

        var error = Assert.Throws<LogException>(() => partition.Read(damagedOffset, 1));
        Assert.Equal(LogErrorCode.KafkaStorageError, error.ErrorCode);
        Assert.Contains(damaged, error.Message, StringComparison.Ordinal);
        Assert.Contains($"position {sizes[firstBatchInSegment]}", error.Message, StringComparison.Ordinal);

        // Reading the whole log does not skip the damage silently.
        Assert.Equal(LogErrorCode.KafkaStorageError, Assert.Throws<LogException>(() => TestLogs.ReadAll(partition)).ErrorCode);

        // Everything else still reads: earlier segments, the undamaged batch before it, later segments.
        TestLogs.AssertNumbered(ReadRange(partition, 0, segmentBase + RecordsPerBatch), 0, 0, (int)segmentBase + RecordsPerBatch);
        var afterOffset = long.Parse(Path.GetFileNameWithoutExtension(logs[2]), System.Globalization.CultureInfo.InvariantCulture);
        TestLogs.AssertNumbered(ReadRange(partition, afterOffset, partition.LogEndOffset), afterOffset, afterOffset, (int)(partition.LogEndOffset - afterOffset));
        Assert.Equal(partition.LogEndOffset, partition.Append(TestLogs.Batch(900, 1, _clock.NowMs)).BaseOffset);
    }

    [Fact]
    public void Open_SealedSegmentBatchLengthDamaged_ReportsCorruptSegmentAndKeepsIt()
    {
        var sizes = WriteBatches(count: 30, SmallSegments);
        var logs = TestLogs.SegmentLogs(PartitionDirectory);
        var damaged = logs[1];
        var segmentBase = long.Parse(Path.GetFileNameWithoutExtension(damaged), System.Globalization.CultureInfo.InvariantCulture);
        var position = sizes[(int)(segmentBase / RecordsPerBatch)];
        File.Delete(Path.ChangeExtension(damaged, ".index")); // make the open scan the whole segment
        WriteInt32(damaged, position + 8, 7); // a BatchLength smaller than any header

        using var store = OpenStore();
        var partition = store.GetPartition(TestLogs.Topic, 0);
        Assert.Contains(store.RecoveryReport, l => l.Contains("corrupt", StringComparison.Ordinal) && l.Contains(damaged, StringComparison.Ordinal) && l.Contains("nothing was dropped", StringComparison.Ordinal));
        Assert.Equal(30 * RecordsPerBatch, partition.LogEndOffset);
        Assert.Equal(logs.Length, partition.SegmentCount);
        var error = Assert.Throws<LogException>(() => partition.Read(segmentBase + RecordsPerBatch, 1));
        Assert.Equal(LogErrorCode.KafkaStorageError, error.ErrorCode);
        Assert.Contains(damaged, error.Message, StringComparison.Ordinal);
        TestLogs.AssertNumbered(ReadRange(partition, 0, segmentBase), 0, 0, (int)segmentBase);
    }

    [Theory]
    [InlineData(SnapshotDamage.FlippedByte)]
    [InlineData(SnapshotDamage.Truncated)]
    [InlineData(SnapshotDamage.Empty)]
    [InlineData(SnapshotDamage.Garbage)]
    [InlineData(SnapshotDamage.Deleted)]
    public void Open_ProducerSnapshotDamaged_StateRebuiltAndResentBatchStillDuplicate(SnapshotDamage damage)
    {
        byte[] lastBatch;
        AppendResult lastResult;
        using (var store = OpenStore())
        {
            var partition = TestLogs.CreatePartition(store, SmallSegments);
            partition.Append(TestLogs.Batch(0, 2, _clock.NowMs)); // a non-idempotent batch in between
            for (var sequence = 0; sequence < 12; sequence += 3)
            {
                partition.Append(ProducerBatch(producerId: 42, epoch: 0, sequence, count: 3));
                partition.Append(ProducerBatch(producerId: 7, epoch: 2, sequence, count: 3));
            }

            partition.Roll(); // writes a snapshot
            lastBatch = ProducerBatch(producerId: 42, epoch: 0, baseSequence: 12, count: 3);
            lastResult = partition.Append(lastBatch);
        }

        var snapshot = Path.Combine(PartitionDirectory, "producer-state.snapshot");
        Assert.True(File.Exists(snapshot));
        DamageSnapshot(snapshot, damage);

        using (var store = OpenStore())
        {
            var partition = store.GetPartition(TestLogs.Topic, 0);
            if (damage != SnapshotDamage.Deleted)
            {
                Assert.Contains(store.RecoveryReport, l => l.Contains("producer-state snapshot was unusable", StringComparison.Ordinal));
            }

            var logEnd = partition.LogEndOffset;
            var resent = partition.Append(lastBatch);
            Assert.True(resent.IsDuplicate);
            Assert.Equal((lastResult.BaseOffset, lastResult.LastOffset), (resent.BaseOffset, resent.LastOffset));
            Assert.Equal(logEnd, partition.LogEndOffset);

            // Both producers' next sequences are known again: a gap is refused, the next batch accepted.
            Assert.Equal(LogErrorCode.OutOfOrderSequenceNumber, Assert.Throws<LogException>(() => partition.Append(ProducerBatch(7, 2, baseSequence: 13, count: 1))).ErrorCode);
            Assert.False(partition.Append(ProducerBatch(7, 2, baseSequence: 12, count: 1)).IsDuplicate);
            Assert.Equal(LogErrorCode.InvalidProducerEpoch, Assert.Throws<LogException>(() => partition.Append(ProducerBatch(7, 1, baseSequence: 0, count: 1))).ErrorCode);
        }
    }

    [Theory]
    [InlineData("garbage \u0001\u0002 not json")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{\"name\": \"events\", \"id\": \"8c7e6a0e-0f51-4a43-9d11-3a0d2a6f0c55\", \"partitions\": 1, \"con")]
    [InlineData("{\"name\": \"events\", \"id\": \"8c7e6a0e-0f51-4a43-9d11-3a0d2a6f0c55\", \"partitions\": -1, \"config\": {}}")]
    [InlineData("{\"name\": \"events\", \"id\": \"8c7e6a0e-0f51-4a43-9d11-3a0d2a6f0c55\", \"partitions\": 0, \"config\": {}}")]
    [InlineData("{\"name\": \"events\", \"id\": \"8c7e6a0e-0f51-4a43-9d11-3a0d2a6f0c55\", \"partitions\": 1}")]
    [InlineData("{\"id\": \"8c7e6a0e-0f51-4a43-9d11-3a0d2a6f0c55\", \"partitions\": 1, \"config\": {}}")]
    [InlineData("{\"name\": \"other\", \"id\": \"8c7e6a0e-0f51-4a43-9d11-3a0d2a6f0c55\", \"partitions\": 1, \"config\": {}}")]
    [InlineData("{\"name\": \"events\", \"id\": \"8c7e6a0e-0f51-4a43-9d11-3a0d2a6f0c55\", \"partitions\": 1, \"config\": {\"segment.bytes\": \"many\"}}")]
    [InlineData("{\"name\": \"events\", \"id\": \"8c7e6a0e-0f51-4a43-9d11-3a0d2a6f0c55\", \"partitions\": 1, \"config\": {\"no.such.setting\": \"1\"}}")]
    [InlineData("[1, 2, 3]")]
    public void Open_TopicMetadataCorrupt_ThrowsLogExceptionNamingFileAndReleasesDirectory(string content)
    {
        WriteBatches(count: 3, TopicConfig.Default);
        var metadata = Path.Combine(_directory.Path, "topics", TestLogs.Topic, "topic.json");
        var original = File.ReadAllBytes(metadata);
        File.WriteAllText(metadata, content);

        var error = Assert.Throws<LogException>(OpenStore);
        Assert.Equal(LogErrorCode.KafkaStorageError, error.ErrorCode);
        Assert.Contains(metadata, error.Message, StringComparison.Ordinal);

        // The failed open released the directory lock and changed no data: with the file restored, everything is back.
        File.WriteAllBytes(metadata, original);
        using var store = OpenStore();
        TestLogs.AssertNumbered(TestLogs.ReadAll(store.GetPartition(TestLogs.Topic, 0)), 0, 0, 3 * RecordsPerBatch);
    }

    public enum IndexDamage
    {
        Deleted,
        Empty,
        RandomBytes,
        OddLength,
        FromAnotherSegment,
    }

    public enum SnapshotDamage
    {
        FlippedByte,
        Truncated,
        Empty,
        Garbage,
        Deleted,
    }

    private string PartitionDirectory => Path.Combine(_directory.Path, "topics", TestLogs.Topic, "0");

    private LogStore OpenStore() => TestLogs.Open(_directory.Path, _clock);

    /// <summary>Writes <paramref name="count"/> batches of <see cref="RecordsPerBatch"/> records (record n is numbered n), closes the store, and returns each batch's size.</summary>
    private int[] WriteBatches(int count, TopicConfig config, long timestampStep = 0)
    {
        var sizes = new int[count];
        using var store = OpenStore();
        var partition = TestLogs.CreatePartition(store, config);
        for (var i = 0; i < count; i++)
        {
            // Values of varying size so batch boundaries differ from segment to segment.
            var batch = TestLogs.Batch(i * RecordsPerBatch, RecordsPerBatch, _clock.NowMs + (i * timestampStep), valueBytes: 20 + (i * 7 % 50));
            sizes[i] = batch.Length;
            partition.Append(batch);
        }

        return sizes;
    }

    private static byte[] ProducerBatch(long producerId, short epoch, int baseSequence, int count)
    {
        var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = baseSequence };
        for (var i = 0; i < count; i++)
        {
            builder.Add(ManualClock.DefaultStartMs, Encoding.ASCII.GetBytes($"p{producerId}"), Encoding.ASCII.GetBytes($"seq-{baseSequence + i}"));
        }

        return builder.Build();
    }

    private static List<LogRecord> ReadRange(Partition partition, long from, long to)
    {
        var records = new List<LogRecord>();
        var next = from;
        while (next < to)
        {
            foreach (var record in RecordBatchReader.ReadRecords(partition.Read(next, 1).Records))
            {
                if (record.Offset >= next && record.Offset < to)
                {
                    records.Add(record);
                    next = record.Offset + 1;
                }
            }
        }

        return records;
    }

    /// <summary>Reads at every offset with the smallest maxBytes: the first batch returned must hold that offset.</summary>
    private static void AssertEveryOffsetReadable(Partition partition, List<LogRecord> expected)
    {
        foreach (var record in expected)
        {
            var (header, _) = RecordBatchReader.ReadBatches(partition.Read(record.Offset, 1).Records).Single();
            Assert.True(header.BaseOffset <= record.Offset && record.Offset <= header.LastOffset, $"a read at {record.Offset} returned offsets {header.BaseOffset}..{header.LastOffset}");
        }
    }

    /// <summary>TryFindOffsetByTimestamp for every stored timestamp, one before the first and one past the last (-1 when not found).</summary>
    private static long[] TimestampLookups(Partition partition, List<LogRecord> records)
    {
        var targets = records.Select(r => r.Timestamp).Distinct().Concat([records[0].Timestamp - 1, records[^1].Timestamp + 1]);
        return targets.Select(t => partition.TryFindOffsetByTimestamp(t, out var offset) ? offset : -1).ToArray();
    }

    private static void DamageIndex(string path, string otherSegmentsIndex, IndexDamage damage, int seed)
    {
        var random = new Random(seed);
        var length = new FileInfo(path).Length;
        switch (damage)
        {
            case IndexDamage.Deleted:
                File.Delete(path);
                break;
            case IndexDamage.Empty:
                File.WriteAllBytes(path, []);
                break;
            case IndexDamage.RandomBytes:
                File.WriteAllBytes(path, RandomBytes(random, (int)Math.Max(24, length)));
                break;
            case IndexDamage.OddLength:
                File.WriteAllBytes(path, File.ReadAllBytes(path).Concat(new byte[] { 1, 2, 3 }).ToArray());
                break;
            case IndexDamage.FromAnotherSegment:
                File.Copy(otherSegmentsIndex, path, overwrite: true);
                break;
        }
    }

    private static void DamageSnapshot(string path, SnapshotDamage damage)
    {
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case SnapshotDamage.FlippedByte:
                bytes[bytes.Length / 2] ^= 0x10;
                File.WriteAllBytes(path, bytes);
                break;
            case SnapshotDamage.Truncated:
                File.WriteAllBytes(path, bytes[..(bytes.Length - 9)]);
                break;
            case SnapshotDamage.Empty:
                File.WriteAllBytes(path, []);
                break;
            case SnapshotDamage.Garbage:
                File.WriteAllBytes(path, RandomBytes(new Random(5), bytes.Length));
                break;
            case SnapshotDamage.Deleted:
                File.Delete(path);
                break;
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static void FlipByte(string path, long position)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = position;
        var value = stream.ReadByte();
        stream.Position = position;
        stream.WriteByte((byte)(value ^ 0x5A));
    }

    private static void WriteInt32(string path, long position, int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = position;
        stream.Write(bytes);
    }

    public void Dispose() => _directory.Dispose();
}
