using System.Buffers.Binary;
using CsCheck;
using Freshet.Log.Records;

namespace Freshet.Log.Tests.Records;

public class RecordBatchReaderTests
{
    private static LogException ReadFails(byte[] data) =>
        Assert.Throws<LogException>(() => RecordBatchReader.ReadRecords(data, includeControlBatches: true).ToArray());

    [Fact]
    public void ReadRecords_Empty_ReturnsNothing() => Assert.Empty(RecordBatchReader.ReadRecords(ReadOnlyMemory<byte>.Empty));

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(60)]
    [InlineData(70)]
    public void ReadRecords_TrailingPartialBatch_Ignored(int partialBytes)
    {
        var first = BatchBytes.Valid(count: 2);
        var second = BatchBytes.Valid(count: 3);
        byte[] data = [.. first, .. second[..Math.Min(partialBytes, second.Length - 1)]];

        Assert.Equal(2, RecordBatchReader.ReadRecords(data).Count());
        Assert.Single(RecordBatchReader.ReadBatches(data));
    }

    [Fact]
    public void ReadBatches_TwoBatches_SplitsAtBatchBoundaries()
    {
        var first = BatchBytes.Valid(CompressionType.Gzip, count: 2);
        var second = BatchBytes.Valid(count: 5);
        byte[] data = [.. first, .. second];

        var batches = RecordBatchReader.ReadBatches(data).ToArray();

        Assert.Equal(2, batches.Length);
        Assert.Equal(first, batches[0].Bytes.ToArray());
        Assert.Equal(second, batches[1].Bytes.ToArray());
        Assert.Equal(CompressionType.Gzip, batches[0].Header.Compression);
        Assert.Equal(5, batches[1].Header.RecordCount);
    }

    [Fact]
    public void ReadRecords_CrcMismatch_ThrowsCorruptMessage()
    {
        var batch = BatchBytes.Valid();
        batch[^1] ^= 1;

        Assert.Equal(LogErrorCode.CorruptMessage, ReadFails(batch).ErrorCode);
    }

    [Fact]
    public void ReadRecords_MagicOne_ThrowsUnsupportedForMessageFormat()
    {
        var batch = BatchBytes.EditWithCrc(BatchBytes.Valid(), b => b[RecordBatchHeader.MagicOffset] = 1);

        Assert.Equal(LogErrorCode.UnsupportedForMessageFormat, ReadFails(batch).ErrorCode);
    }

    [Fact]
    public void ReadRecords_UnknownCodec_ThrowsUnsupportedCompressionType()
    {
        var batch = BatchBytes.EditWithCrc(BatchBytes.Valid(), b => b[RecordBatchHeader.AttributesOffset + 1] |= 0x06);

        Assert.Equal(LogErrorCode.UnsupportedCompressionType, ReadFails(batch).ErrorCode);
    }

    [Fact]
    public void ReadRecords_BatchLengthBelowHeader_ThrowsCorruptMessage()
    {
        var batch = BatchBytes.Valid();
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(8), 49 - 1);

        Assert.Equal(LogErrorCode.CorruptMessage, ReadFails(batch).ErrorCode);
    }

    [Fact]
    public void ReadRecords_NegativeBatchLength_ThrowsCorruptMessage()
    {
        var batch = BatchBytes.Valid();
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(8), -5);

        Assert.Equal(LogErrorCode.CorruptMessage, ReadFails(batch).ErrorCode);
    }

    [Fact]
    public void ReadRecords_RecordCountAboveRecords_ThrowsCorruptMessage()
    {
        var batch = BatchBytes.EditWithCrc(BatchBytes.Valid(), b => BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(RecordBatchHeader.RecordCountOffset), int.MaxValue));

        Assert.Equal(LogErrorCode.CorruptMessage, ReadFails(batch).ErrorCode);
    }

    [Fact]
    public void ReadRecords_RecordCountBelowRecords_ThrowsCorruptMessage()
    {
        var batch = BatchBytes.EditWithCrc(BatchBytes.Valid(count: 3), b => BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(RecordBatchHeader.RecordCountOffset), 2));

        Assert.Equal(LogErrorCode.CorruptMessage, ReadFails(batch).ErrorCode);
    }

    [Fact]
    public void ReadRecords_HeaderCountHuge_ThrowsCorruptMessage()
    {
        // Single record: [len][attr][ts 0][off 0][key -1][value -1][headers], header count rewritten to 2^30.
        var builder = new RecordBatchBuilder();
        builder.Add(1, null, null);
        var plain = builder.Build();
        byte[] records = [0x14, 0x00, 0x00, 0x00, 0x01, 0x01, 0x80, 0x80, 0x80, 0x80, 0x08];
        var batch = BatchBytes.WithRecordsSection(plain, records);

        Assert.Equal(LogErrorCode.CorruptMessage, ReadFails(batch).ErrorCode);
    }

    [Fact]
    public void DecodeBatch_TwoBatches_ThrowsCorruptMessage()
    {
        var batch = BatchBytes.Valid();

        var e = Assert.Throws<LogException>(() => RecordBatchReader.DecodeBatch([.. batch, .. batch]));
        Assert.Equal(LogErrorCode.CorruptMessage, e.ErrorCode);
    }

    [Fact]
    public void ReadRecords_CorruptSecondBatch_YieldsFirstBatchThenThrows()
    {
        var first = BatchBytes.Valid(count: 2);
        var second = BatchBytes.Valid(count: 2);
        second[^1] ^= 0xFF;
        byte[] data = [.. first, .. second];

        var read = new List<LogRecord>();
        var e = Assert.Throws<LogException>(() =>
        {
            foreach (var record in RecordBatchReader.ReadRecords(data))
            {
                read.Add(record);
            }
        });

        Assert.Equal(LogErrorCode.CorruptMessage, e.ErrorCode);
        Assert.Equal(2, read.Count);
    }

    // Mutates valid batches (every codec) at random positions, sometimes recomputing the CRC so the
    // decoder and codecs see the damage; the reader and validator may only ever throw LogException.
    [Fact]
    public void ReadRecords_RandomlyMutatedBatches_ThrowOnlyLogException() =>
        Gen.Select(
            RecordGens.Records,
            RecordGens.Codec,
            Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte[1, 255]).Array[1, 4],
            Gen.Bool,
            Gen.Int[0, 8]).Sample((records, codec, mutations, fixCrc, truncate) =>
        {
            var batch = RecordBatchBuilder.Build(records, codec);
            foreach (var (position, xor) in mutations)
            {
                batch[position % batch.Length] ^= xor;
            }

            if (fixCrc)
            {
                RecordBatchHeader.WriteCrc(batch);
            }

            var data = truncate > 0 ? batch[..Math.Max(0, batch.Length - truncate)] : batch;
            try
            {
                _ = RecordBatchReader.ReadRecords(data, includeControlBatches: true).Count();
            }
            catch (LogException)
            {
            }

            try
            {
                _ = RecordBatchReader.ReadBatches(data).Count();
            }
            catch (LogException)
            {
            }

            _ = RecordBatchValidator.Validate(data, int.MaxValue, out _);
        }, iter: 3000);

    // Rewrites the records section's leading bytes with random values and recomputes the CRC, so every
    // iteration reaches the record decoder (uncompressed) or the codec (compressed).
    [Fact]
    public void ReadRecords_RandomRecordsSectionWithValidCrc_ThrowOnlyLogException() =>
        Gen.Select(RecordGens.Codec, Gen.Byte.Array[0, 64], Gen.Int[1, 5]).Sample((codec, noise, count) =>
        {
            var batch = BatchBytes.WithRecordsSection(BatchBytes.Valid(codec), noise);
            batch = BatchBytes.EditWithCrc(batch, b => BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(RecordBatchHeader.RecordCountOffset), count));
            try
            {
                _ = RecordBatchReader.ReadRecords(batch).Count();
            }
            catch (LogException)
            {
            }

            _ = RecordBatchValidator.Validate(batch, int.MaxValue, out _);
        }, iter: 3000);
}
