using System.Buffers.Binary;
using Freshet.Log.Records;

namespace Freshet.Log.Tests.Records;

public class RecordBatchValidatorTests
{
    private static LogErrorCode Validate(byte[] batches, int maxBatchBytes = 1 << 20)
    {
        var code = RecordBatchValidator.Validate(batches, maxBatchBytes, out var error);
        Assert.Equal(code == LogErrorCode.None, error is null);
        return code;
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Validate_BuiltBatch_ReturnsNone(CompressionType codec) => Assert.Equal(LogErrorCode.None, Validate(BatchBytes.Valid(codec)));

    [Fact]
    public void Validate_Empty_ReturnsCorruptMessage() => Assert.Equal(LogErrorCode.CorruptMessage, Validate([]));

    [Fact]
    public void Validate_FlippedByteInRecords_ReturnsCorruptMessage()
    {
        var batch = BatchBytes.Valid();
        batch[^3] ^= 0x40;

        Assert.Equal(LogErrorCode.CorruptMessage, Validate(batch));
    }

    [Fact]
    public void Validate_FlippedByteInHeader_ReturnsCorruptMessage()
    {
        var batch = BatchBytes.Valid();
        batch[RecordBatchHeader.ProducerIdOffset] ^= 0x01;

        Assert.Equal(LogErrorCode.CorruptMessage, Validate(batch));
    }

    [Fact]
    public void Validate_MagicOne_ReturnsUnsupportedForMessageFormat()
    {
        var batch = BatchBytes.EditWithCrc(BatchBytes.Valid(), b => b[RecordBatchHeader.MagicOffset] = 1);

        Assert.Equal(LogErrorCode.UnsupportedForMessageFormat, Validate(batch));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(11)]
    [InlineData(40)]
    [InlineData(62)]
    public void Validate_Truncated_ReturnsCorruptMessage(int dropped)
    {
        var batch = BatchBytes.Valid();

        Assert.Equal(LogErrorCode.CorruptMessage, Validate(batch[..^dropped]));
    }

    [Fact]
    public void Validate_SecondBatchTruncated_ReturnsCorruptMessage()
    {
        var batch = BatchBytes.Valid();

        Assert.Equal(LogErrorCode.CorruptMessage, Validate([.. batch, .. batch[..^1]]));
    }

    [Fact]
    public void Validate_OverMaxBatchBytes_ReturnsMessageTooLarge()
    {
        var batch = BatchBytes.Valid();

        Assert.Equal(LogErrorCode.MessageTooLarge, Validate(batch, maxBatchBytes: batch.Length - 1));
        Assert.Equal(LogErrorCode.None, Validate(batch, maxBatchBytes: batch.Length));
    }

    [Fact]
    public void Validate_CodecSeven_ReturnsUnsupportedCompressionType()
    {
        var batch = BatchBytes.EditWithCrc(BatchBytes.Valid(), b => b[RecordBatchHeader.AttributesOffset + 1] |= 0x07);

        Assert.Equal(LogErrorCode.UnsupportedCompressionType, Validate(batch));
    }

    [Fact]
    public void Validate_WrongOffsetDelta_ReturnsInvalidRecord()
    {
        // First record: length varint, attributes, timestamp delta 0 (one byte), then the offset delta.
        var batch = BatchBytes.EditWithCrc(BatchBytes.Valid(), b => b[RecordBatchHeader.Size + 3] = 0x04);

        Assert.Equal(LogErrorCode.InvalidRecord, Validate(batch));
    }

    [Fact]
    public void Validate_LastOffsetDeltaDisagreesWithCount_ReturnsInvalidRecord()
    {
        var batch = BatchBytes.EditWithCrc(BatchBytes.Valid(), b => BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(RecordBatchHeader.LastOffsetDeltaOffset), 5));

        Assert.Equal(LogErrorCode.InvalidRecord, Validate(batch));
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Validate_GarbageCompressedBytes_ReturnsCorruptMessage(CompressionType codec)
    {
        var garbage = Enumerable.Range(0, 64).Select(i => (byte)(i * 37 + 5)).ToArray();
        var batch = BatchBytes.WithRecordsSection(BatchBytes.Valid(codec), garbage);

        Assert.Equal(LogErrorCode.CorruptMessage, Validate(batch));
    }

    [Fact]
    public void Validate_RecordKeyLengthPastRecordEnd_ReturnsCorruptMessage()
    {
        // Regression: the validator once checked only each record's length and offset delta, so a
        // record whose key length ran past its end (with a good CRC) was accepted and later broke readers.
        var batch = BatchBytes.EditWithCrc(BatchBytes.Valid(), b => b[RecordBatchHeader.Size + 4] = 0x7E);

        Assert.Equal(LogErrorCode.CorruptMessage, Validate(batch));
    }

    [Fact]
    public void Validate_BytesAfterLastRecord_ReturnsCorruptMessage()
    {
        var valid = BatchBytes.Valid();
        var batch = BatchBytes.WithRecordsSection(valid, [.. valid.AsSpan(RecordBatchHeader.Size), 0x00]);

        Assert.Equal(LogErrorCode.CorruptMessage, Validate(batch));
    }

    [Fact]
    public void Validate_BatchLengthBelowHeader_ReturnsCorruptMessage()
    {
        var batch = BatchBytes.Valid();
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(8), 10);

        Assert.Equal(LogErrorCode.CorruptMessage, Validate(batch));
    }
}
