using Freshet.Log.Records;

namespace Freshet.Log.Tests.Records;

/// <summary>
/// A compressed batch is refused with MESSAGE_TOO_LARGE when its records decompress past the topic's
/// max.message.bytes (less the batch header), and validation stops there: memory stays bounded by the limit,
/// not by what the compressed data expands to.
/// </summary>
public class CompressedBatchLimitTests
{
    public static TheoryData<CompressionType> Codecs => [CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Validate_BombDecompressingTo128MiB_IsRefusedAsTooLargeWithoutInflatingIt(CompressionType codec)
    {
        const int limit = 16 * 1024 * 1024;
        var bomb = CompressionBombs.Batch(codec, records: 128, valueBytes: 1024 * 1024);
        Assert.True(bomb.Length < limit, $"the {codec} bomb is {bomb.Length} bytes, so only its decompressed size can pass the limit");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var code = RecordBatchValidator.Validate(bomb, limit, out var error);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(LogErrorCode.MessageTooLarge, code);
        Assert.Contains("decompress to more than", error);

        // 128 MiB decompressed before the fix; now the window holds one 1 MiB record at a time.
        Assert.True(allocated < 8 * 1024 * 1024, $"validation allocated {allocated} bytes");
    }

    [Fact]
    public void Validate_GzipBatchHoldingOne256MiBRecord_IsRefusedAsTooLarge()
    {
        var bomb = CompressionBombs.Batch(CompressionType.Gzip, records: 1, valueBytes: 256 * 1024 * 1024);
        var defaultLimit = new Topics.TopicConfig().MaxBatchBytes;
        Assert.True(bomb.Length < defaultLimit);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var code = RecordBatchValidator.Validate(bomb, defaultLimit, out var error);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(LogErrorCode.MessageTooLarge, code);
        Assert.Contains("max.message.bytes", error);
        Assert.True(allocated < 1024 * 1024, $"validation allocated {allocated} bytes");
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Validate_CompressedRecordsExactlyAtTheLimit_AreAcceptedAndOneByteMoreIsRefused(CompressionType codec)
    {
        var records = Enumerable.Range(0, 200)
            .Select(i => new LogRecord(1_700_000_000_000 + i, [(byte)i], Enumerable.Repeat((byte)(i % 5), 1000 + i).ToArray(), [new RecordHeader("h", [1])]))
            .ToArray();
        var uncompressed = RecordBatchBuilder.Build(records);
        var compressed = RecordBatchBuilder.Build(records, codec);

        Assert.Equal(LogErrorCode.None, RecordBatchValidator.Validate(compressed, uncompressed.Length, out var error));
        Assert.Null(error);
        Assert.Equal(LogErrorCode.MessageTooLarge, RecordBatchValidator.Validate(compressed, uncompressed.Length - 1, out _));
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Validate_CompressedRecordsWithOneRecordMissing_IsCorrupt(CompressionType codec)
    {
        var batch = CompressionBombs.Batch(codec, records: 3, valueBytes: 10);
        var claimsFour = BatchBytes.EditWithCrc(batch, b =>
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), 3);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(RecordBatchHeader.RecordCountOffset), 4);
        });

        Assert.Equal(LogErrorCode.None, RecordBatchValidator.Validate(batch, 1 << 20, out _));
        Assert.Equal(LogErrorCode.CorruptMessage, RecordBatchValidator.Validate(claimsFour, 1 << 20, out var error));
        Assert.Contains("holds 3", error);
    }
}
