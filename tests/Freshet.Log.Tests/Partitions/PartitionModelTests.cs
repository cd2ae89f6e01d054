using System.Text;
using CsCheck;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Tests.TestSupport;
using Freshet.Log.Topics;

namespace Freshet.Log.Tests.Partitions;

/// <summary>
/// Model-based property test: random sequences of appends, reads, rolls, size-retention passes,
/// timestamp lookups and close-and-reopen, run against a real partition on disk and against a
/// list of (offset, key, value, timestamp) plus a <c>LogStartOffset</c>. After every operation the
/// two must agree. CsCheck shrinks a failing sequence to a short one and prints it with its seed.
/// </summary>
public sealed class PartitionModelTests
{
    private static readonly TopicConfig Config = new() { SegmentBytes = 1024, IndexIntervalBytes = 128, RetentionMs = -1, RetentionBytes = -1 };

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (10, Gen.Select(Gen.Int[1, 4], Gen.Int[0, 300], Gen.Int[-30, 30], Gen.OneOf(CompressionType.None, CompressionType.None, CompressionType.Lz4, CompressionType.Gzip))
            .Select(t => (Op)new AppendOp(t.Item1, t.Item2, t.Item3, t.Item4))),
        (6, Gen.Select(Gen.Int[-2, 1000], Gen.Int[1, 3000]).Select(t => (Op)new ReadOp(t.Item1, t.Item2))),
        (1, Gen.Const((Op)new RollOp())),
        (2, Gen.Int[0, 4000].Select(b => (Op)new RetainBytesOp(b))),
        (2, Gen.Int[900, 3500].Select(t => (Op)new FindTimestampOp(t))),
        (1, Gen.Const((Op)new ReopenOp())));

    [Fact]
    public void Operations_RandomSequence_PartitionAgreesWithModel()
    {
        GenOp.List[1, 60].Sample(Run, iter: 120, print: ops => string.Join(", ", ops));
    }

    private static void Run(List<Op> ops)
    {
        using var directory = new TempDirectory();
        var store = TestLogs.Open(directory.Path);
        try
        {
            var partition = TestLogs.CreatePartition(store, Config);
            var model = new List<ModelRecord>();
            long logStart = 0;
            long nextRecord = 0;
            foreach (var op in ops)
            {
                switch (op)
                {
                    case AppendOp append:
                        {
                            var builder = new RecordBatchBuilder(append.Compression);
                            var baseOffset = logStart + model.Count;
                            for (var i = 0; i < append.Count; i++, nextRecord++)
                            {
                                var record = new ModelRecord(baseOffset + i, $"k{nextRecord}", Value(nextRecord, append.ValueBytes), 1_000 + (nextRecord * 10) + append.TimestampJitter);
                                builder.Add(record.Timestamp, Encoding.ASCII.GetBytes(record.Key), record.Value);
                                model.Add(record);
                            }

                            var result = partition.Append(builder.Build());
                            Assert.Equal((baseOffset, baseOffset + append.Count - 1), (result.BaseOffset, result.LastOffset));
                            break;
                        }

                    case ReadOp read:
                        CheckRead(partition, model, logStart, logStart + read.OffsetFromStart, read.MaxBytes);
                        break;
                    case RollOp:
                        partition.Roll();
                        break;
                    case RetainBytesOp retain:
                        {
                            partition.Config = Config with { RetentionBytes = retain.RetentionBytes };
                            partition.ApplyRetention();
                            partition.Config = Config;
                            var newStart = partition.LogStartOffset;
                            Assert.InRange(newStart, logStart, logStart + model.Count);
                            model.RemoveRange(0, (int)(newStart - logStart));
                            logStart = newStart;
                            var segments = partition.Segments;
                            Assert.True(segments.Length == 1 || partition.SizeBytes - segments[0].Size < retain.RetentionBytes, "retention stopped early");
                            break;
                        }

                    case FindTimestampOp find:
                        {
                            var expected = model.Find(r => r.Timestamp >= find.Timestamp);
                            Assert.Equal(expected is not null, partition.TryFindOffsetByTimestamp(find.Timestamp, out var offset));
                            Assert.Equal(expected?.Offset ?? -1, offset);
                            break;
                        }

                    case ReopenOp:
                        store.Dispose();
                        store = TestLogs.Open(directory.Path);
                        Assert.Empty(store.RecoveryReport);
                        partition = store.GetPartition(TestLogs.Topic, 0);
                        break;
                }

                Assert.Equal(logStart, partition.LogStartOffset);
                Assert.Equal(logStart + model.Count, partition.LogEndOffset);
            }

            var all = TestLogs.ReadAll(partition);
            Assert.Equal(model.Count, all.Count);
            for (var i = 0; i < all.Count; i++)
            {
                AssertSame(model[i], all[i]);
            }
        }
        finally
        {
            store.Dispose();
        }
    }

    private static void CheckRead(Partition partition, List<ModelRecord> model, long logStart, long offset, int maxBytes)
    {
        var logEnd = logStart + model.Count;
        if (offset < logStart || offset > logEnd)
        {
            Assert.Equal(LogErrorCode.OffsetOutOfRange, Assert.Throws<LogException>(() => partition.Read(offset, maxBytes)).ErrorCode);
            return;
        }

        var data = partition.Read(offset, maxBytes).Records;
        if (offset == logEnd)
        {
            Assert.True(data.IsEmpty);
            return;
        }

        var batches = RecordBatchReader.ReadBatches(data).ToArray();
        Assert.NotEmpty(batches);
        Assert.Equal(data.Length, batches.Sum(b => b.Bytes.Length));
        Assert.InRange(offset, batches[0].Header.BaseOffset, batches[0].Header.LastOffset);
        Assert.True(data.Length <= Math.Max(maxBytes, batches[0].Bytes.Length), $"{data.Length} bytes returned for maxBytes {maxBytes}");
        var next = offset;
        foreach (var record in RecordBatchReader.ReadRecords(data))
        {
            if (record.Offset >= offset)
            {
                Assert.Equal(next, record.Offset);
                AssertSame(model[(int)(next - logStart)], record);
                next++;
            }
        }
    }

    private static void AssertSame(ModelRecord expected, LogRecord actual)
    {
        Assert.Equal(expected.Offset, actual.Offset);
        Assert.Equal(expected.Key, Encoding.ASCII.GetString(actual.Key!));
        Assert.Equal(expected.Value, actual.Value);
        Assert.Equal(expected.Timestamp, actual.Timestamp);
    }

    private static byte[] Value(long n, int length)
    {
        var value = new byte[length];
        new Random((int)n).NextBytes(value);
        return value;
    }

    private sealed record ModelRecord(long Offset, string Key, byte[] Value, long Timestamp);

    private abstract record Op;

    private sealed record AppendOp(int Count, int ValueBytes, int TimestampJitter, CompressionType Compression) : Op;

    private sealed record ReadOp(int OffsetFromStart, int MaxBytes) : Op;

    private sealed record RollOp : Op;

    private sealed record RetainBytesOp(int RetentionBytes) : Op;

    private sealed record FindTimestampOp(int Timestamp) : Op;

    private sealed record ReopenOp : Op;
}
