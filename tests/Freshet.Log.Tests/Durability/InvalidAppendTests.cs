using System.Buffers.Binary;
using CsCheck;
using Freshet.Log.Partitions;
using Freshet.Log.Records;
using Freshet.Log.Tests.Records;
using Freshet.Log.Tests.TestSupport;
using Freshet.Log.Topics;

namespace Freshet.Log.Tests.Durability;

/// <summary>
/// Appends of bytes that are not valid batches (DESIGN.md, "Bad input"): each is refused with the
/// specific <see cref="LogErrorCode"/>, and the log is left exactly as it was: same
/// <c>LogEndOffset</c>, same records, same files with the same sizes, and the next valid append
/// gets the next offset.
/// </summary>
public sealed class InvalidAppendTests : IDisposable
{
    private const int MaxBatchBytes = 4096;

    private readonly TempDirectory _directory = new();
    private readonly LogStore _store;
    private readonly Partition _partition;

    public InvalidAppendTests()
    {
        _store = TestLogs.Open(_directory.Path);
        _partition = TestLogs.CreatePartition(_store, new TopicConfig { MaxBatchBytes = MaxBatchBytes, SegmentBytes = 64 * 1024 });
        _partition.Append(TestLogs.Batch(0, 3, ManualClock.DefaultStartMs));
        _partition.Append(TestLogs.Batch(3, 2, ManualClock.DefaultStartMs, compression: CompressionType.Gzip));
    }

    public static TheoryData<string, LogErrorCode> InvalidBatches => new()
    {
        { "empty", LogErrorCode.CorruptMessage },
        { "bad CRC in the records", LogErrorCode.CorruptMessage },
        { "bad CRC field", LogErrorCode.CorruptMessage },
        { "magic 1", LogErrorCode.UnsupportedForMessageFormat },
        { "magic 0", LogErrorCode.UnsupportedForMessageFormat },
        { "magic 3", LogErrorCode.CorruptMessage },
        { "truncated by one byte", LogErrorCode.CorruptMessage },
        { "truncated inside the header", LogErrorCode.CorruptMessage },
        { "eleven bytes", LogErrorCode.CorruptMessage },
        { "oversized", LogErrorCode.MessageTooLarge },
        { "length field larger than the limit", LogErrorCode.MessageTooLarge },
        { "negative length field", LogErrorCode.CorruptMessage },
        { "garbage whose length field reads as 861 MB", LogErrorCode.MessageTooLarge },
        { "garbage behind a plausible header", LogErrorCode.CorruptMessage },
        { "zeros", LogErrorCode.CorruptMessage },
        { "unknown codec", LogErrorCode.UnsupportedCompressionType },
        { "undecodable gzip", LogErrorCode.CorruptMessage },
        { "record count mismatch", LogErrorCode.InvalidRecord },
        { "trailing bytes after the records", LogErrorCode.CorruptMessage },
        { "valid batch then a bad one", LogErrorCode.CorruptMessage },
        { "valid batch then a partial one", LogErrorCode.CorruptMessage },
        { "control batch", LogErrorCode.InvalidRecord },
        { "two batches from an idempotent producer", LogErrorCode.InvalidRecord },
    };

    [Theory]
    [MemberData(nameof(InvalidBatches))]
    public void Append_InvalidBatch_ThrowsSpecificErrorAndLeavesLogUnchanged(string kind, LogErrorCode expected)
    {
        var before = Snapshot();

        var error = Assert.Throws<LogException>(() => _partition.Append(Make(kind)));

        Assert.Equal(expected, error.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        AssertUnchanged(before);
    }

    [Fact]
    public void Append_RandomBytes_AlwaysLogExceptionAndLogUnchanged()
    {
        var before = Snapshot();
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            // Random bytes never carry a valid CRC-32C, so every one must be refused with a LogException (never another exception).
            var error = Assert.Throws<LogException>(() => _partition.Append(bytes));
            Assert.NotEqual(LogErrorCode.None, error.ErrorCode);
        }, iter: 500);
        AssertUnchanged(before);
    }

    [Fact]
    public void Append_ValidBatchWithRandomByteFlipped_RefusedOrStoredWhole()
    {
        // A flip in BaseOffset (bytes 0-7, which the log overwrites) or PartitionLeaderEpoch (12-15) is harmless;
        // anywhere else the CRC or the length check must refuse it.
        var valid = TestLogs.Batch(100, 4, ManualClock.DefaultStartMs, valueBytes: 40);
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte[1, 255]).Sample((position, mask) =>
        {
            var copy = (byte[])valid.Clone();
            copy[position] ^= mask;
            var logEnd = _partition.LogEndOffset;
            try
            {
                var result = _partition.Append(copy);
                Assert.True(position < 8 || position is >= 12 and < 16, $"a flip at byte {position} was accepted");
                Assert.Equal(logEnd, result.BaseOffset);
            }
            catch (LogException)
            {
                Assert.Equal(logEnd, _partition.LogEndOffset);
            }
        }, iter: 300, threads: 1); // one thread: the check compares LogEndOffset before and after each append
        TestLogs.ReadAll(_partition);
    }

    private static byte[] Make(string kind)
    {
        var valid = TestLogs.Batch(100, 3, ManualClock.DefaultStartMs);
        switch (kind)
        {
            case "empty":
                return [];
            case "bad CRC in the records":
                return Flip(valid, valid.Length - 2);
            case "bad CRC field":
                return Flip(valid, RecordBatchHeader.CrcOffset + 1);
            case "magic 1":
                return Set(valid, RecordBatchHeader.MagicOffset, 1);
            case "magic 0":
                return Set(valid, RecordBatchHeader.MagicOffset, 0);
            case "magic 3":
                return Set(valid, RecordBatchHeader.MagicOffset, 3);
            case "truncated by one byte":
                return valid[..^1];
            case "truncated inside the header":
                return valid[..40];
            case "eleven bytes":
                return valid[..11];
            case "oversized":
                return TestLogs.Batch(100, 1, ManualClock.DefaultStartMs, valueBytes: MaxBatchBytes);
            case "length field larger than the limit":
                return WithInt32(valid, 8, MaxBatchBytes);
            case "negative length field":
                return WithInt32(valid, 8, -5);
            case "garbage whose length field reads as 861 MB":
                return Garbage();
            case "garbage behind a plausible header":
                {
                    var garbage = Garbage();
                    BinaryPrimitives.WriteInt32BigEndian(garbage.AsSpan(8), garbage.Length - RecordBatchHeader.LogOverhead);
                    garbage[RecordBatchHeader.MagicOffset] = RecordBatchHeader.CurrentMagic;
                    return garbage;
                }

            case "zeros":
                return new byte[100];
            case "unknown codec":
                return BatchBytes.EditWithCrc(valid, b => BinaryPrimitives.WriteInt16BigEndian(b.AsSpan(RecordBatchHeader.AttributesOffset), 6));
            case "undecodable gzip":
                return BatchBytes.EditWithCrc(valid, b => BinaryPrimitives.WriteInt16BigEndian(b.AsSpan(RecordBatchHeader.AttributesOffset), (short)CompressionType.Gzip));
            case "record count mismatch":
                return BatchBytes.EditWithCrc(valid, b => BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(RecordBatchHeader.RecordCountOffset), 5));
            case "trailing bytes after the records":
                return BatchBytes.WithRecordsSection(valid, [.. valid.AsSpan(RecordBatchHeader.Size), 0, 0]);
            case "valid batch then a bad one":
                return [.. valid, .. Flip(valid, valid.Length - 2)];
            case "valid batch then a partial one":
                return [.. valid, .. valid[..70]];
            case "control batch":
                return BatchBytes.EditWithCrc(valid, b => BinaryPrimitives.WriteInt16BigEndian(b.AsSpan(RecordBatchHeader.AttributesOffset), RecordBatchHeader.ControlFlag));
            case "two batches from an idempotent producer":
                {
                    var builder = new RecordBatchBuilder { ProducerId = 9, ProducerEpoch = 0, BaseSequence = 0 };
                    builder.Add(ManualClock.DefaultStartMs, [1], [2]);
                    var first = builder.Build();
                    builder.BaseSequence = 1;
                    return [.. first, .. builder.Build()];
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static byte[] Garbage() => Enumerable.Range(0, 200).Select(i => (byte)((i * 37) + 11)).ToArray();

    private static byte[] Flip(byte[] batch, int position)
    {
        var copy = (byte[])batch.Clone();
        copy[position] ^= 0x01;
        return copy;
    }

    private static byte[] Set(byte[] batch, int position, byte value)
    {
        var copy = (byte[])batch.Clone();
        copy[position] = value;
        return copy;
    }

    private static byte[] WithInt32(byte[] batch, int position, int value)
    {
        var copy = (byte[])batch.Clone();
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(position), value);
        return copy;
    }

    private (long LogEnd, long Size, SortedDictionary<string, long> Files, List<LogRecord> Records) Snapshot() =>
        (_partition.LogEndOffset, _partition.SizeBytes, TestLogs.FileSizes(_partition.Directory), TestLogs.ReadAll(_partition));

    private void AssertUnchanged((long LogEnd, long Size, SortedDictionary<string, long> Files, List<LogRecord> Records) before)
    {
        Assert.Equal(before.LogEnd, _partition.LogEndOffset);
        Assert.Equal(before.Size, _partition.SizeBytes);
        Assert.Equal(before.Files, TestLogs.FileSizes(_partition.Directory));
        RecordAssert.Equal(before.Records, TestLogs.ReadAll(_partition));

        var next = _partition.Append(TestLogs.Batch(500, 1, ManualClock.DefaultStartMs));
        Assert.Equal(before.LogEnd, next.BaseOffset);
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }
}
