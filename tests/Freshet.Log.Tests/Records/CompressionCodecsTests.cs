using System.Buffers.Binary;
using CsCheck;
using Freshet.Log.Records;

namespace Freshet.Log.Tests.Records;

public class CompressionCodecsTests
{
    private static readonly byte[] XerialHeader = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1];

    private static byte[] XerialFrame(params byte[][] chunks)
    {
        var output = new List<byte>(XerialHeader);
        foreach (var chunk in chunks)
        {
            var block = Snappier.Snappy.CompressToArray(chunk);
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, block.Length);
            output.AddRange(length);
            output.AddRange(block);
        }

        return [.. output];
    }

    [Fact]
    public void Decompress_XerialFramedSnappy_ReturnsConcatenatedBlocks()
    {
        var first = Enumerable.Range(0, 3000).Select(i => (byte)(i % 7)).ToArray();
        var second = Enumerable.Range(0, 500).Select(i => (byte)(i * 13)).ToArray();

        var output = CompressionCodecs.Decompress(CompressionType.Snappy, XerialFrame(first, second));

        Assert.Equal([.. first, .. second], output);
    }

    [Fact]
    public void ReadRecords_BatchWithXerialFramedRecords_ReadsRecords()
    {
        // The Java producer frames snappy record sections this way.
        var plain = BatchBytes.Valid(CompressionType.None, count: 4);
        var records = plain[RecordBatchHeader.Size..];
        var batch = BatchBytes.EditWithCrc(
            BatchBytes.WithRecordsSection(plain, XerialFrame(records[..10], records[10..])),
            b => b[RecordBatchHeader.AttributesOffset + 1] = (byte)CompressionType.Snappy);

        Assert.Equal(LogErrorCode.None, RecordBatchValidator.Validate(batch, int.MaxValue, out _));
        RecordAssert.Equal(RecordBatchReader.ReadRecords(plain).ToArray(), RecordBatchReader.ReadRecords(batch).ToArray());
    }

    [Fact]
    public void Decompress_XerialBlockLengthPastEnd_ThrowsCorruptMessage()
    {
        var frame = XerialFrame([1, 2, 3]);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(16), 1000);

        var e = Assert.Throws<LogException>(() => CompressionCodecs.Decompress(CompressionType.Snappy, frame));
        Assert.Equal(LogErrorCode.CorruptMessage, e.ErrorCode);
    }

    [Fact]
    public void CompressThenDecompress_AnyBytesEveryCodec_RoundTrips() =>
        Gen.Byte[0, 8].Array[0, 5000].Sample(data =>
        {
            foreach (var codec in RecordGens.AllCodecs)
            {
                Assert.Equal(data, CompressionCodecs.Decompress(codec, CompressionCodecs.Compress(codec, data)));
            }
        }, iter: 100);

    [Fact]
    public void Decompress_UnknownCodec_ThrowsUnsupportedCompressionType()
    {
        var e = Assert.Throws<LogException>(() => CompressionCodecs.Decompress((CompressionType)5, [1, 2]));
        Assert.Equal(LogErrorCode.UnsupportedCompressionType, e.ErrorCode);
    }

    // Regression: the raw snappy preamble claimed ~2 GiB and decompression threw OutOfMemoryException,
    // which escaped the validator and reader as a non-LogException.
    [Fact]
    public void Decompress_SnappyClaimingTwoGigabytes_ThrowsCorruptMessageWithoutAllocating()
    {
        byte[] data = [0xF0, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x01, 0x02];
        var before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<LogException>(() => CompressionCodecs.Decompress(CompressionType.Snappy, data));

        Assert.Equal(LogErrorCode.CorruptMessage, e.ErrorCode);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "decompression allocated the claimed size");
    }

    [Fact]
    public void Validate_SnappyBatchClaimingTwoGigabytes_ReturnsCorruptMessage()
    {
        var batch = BatchBytes.WithRecordsSection(BatchBytes.Valid(CompressionType.Snappy), [0xF0, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x01, 0x02]);

        Assert.Equal(LogErrorCode.CorruptMessage, RecordBatchValidator.Validate(batch, int.MaxValue, out _));
    }

    // Regression: Decompressor.Unwrap allocated the content size a zstd frame header claims (here ~2 GiB)
    // before reading any data.
    [Fact]
    public void Decompress_ZstdFrameClaimingTwoGigabytes_ThrowsCorruptMessageWithoutAllocating()
    {
        // Magic, frame header descriptor 0xA0 (single segment, 4-byte content size), content size 0x7FFF0000, then junk.
        byte[] data = [0x28, 0xB5, 0x2F, 0xFD, 0xA0, 0x00, 0x00, 0xFF, 0x7F, 0x01, 0x00, 0x00];
        var before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<LogException>(() => CompressionCodecs.Decompress(CompressionType.Zstd, data));

        Assert.Equal(LogErrorCode.CorruptMessage, e.ErrorCode);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "decompression allocated the claimed size");
    }

    // Gzip is absent: System.IO.Compression returns the data inflated so far from a truncated stream
    // without an error. Batches stay safe (next test) because the CRC, the record count and the
    // exact fill of the records section all have to agree.
    [Theory]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Decompress_TruncatedPayload_ThrowsCorruptMessage(CompressionType codec)
    {
        var data = Enumerable.Range(0, 4000).Select(i => (byte)(i * 7 % 251)).ToArray();
        var compressed = CompressionCodecs.Compress(codec, data);

        var e = Assert.Throws<LogException>(() => CompressionCodecs.Decompress(codec, compressed.AsSpan(0, compressed.Length / 2)));

        Assert.Equal(LogErrorCode.CorruptMessage, e.ErrorCode);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void ReadRecords_TruncatedCompressedSectionWithValidCrc_ThrowsCorruptMessage(CompressionType codec)
    {
        var valid = BatchBytes.Valid(codec, count: 50);
        var section = valid.AsSpan(RecordBatchHeader.Size);
        var batch = BatchBytes.WithRecordsSection(valid, section[..(section.Length / 2)]);

        Assert.Equal(LogErrorCode.CorruptMessage, RecordBatchValidator.Validate(batch, int.MaxValue, out _));
        var e = Assert.Throws<LogException>(() => RecordBatchReader.ReadRecords(batch).ToArray());
        Assert.Equal(LogErrorCode.CorruptMessage, e.ErrorCode);
    }

    // The Java producer's zstd-jni stream writes frames without a content size in the header.
    [Fact]
    public void Decompress_StreamedZstdFramesWithoutContentSize_ReturnsAllData()
    {
        var data = Enumerable.Range(0, 5000).Select(i => (byte)(i % 13)).ToArray();
        var stream = new MemoryStream();
        using (var zstd = new ZstdSharp.CompressionStream(stream, 3, leaveOpen: true))
        {
            zstd.Write(data, 0, 100);
            zstd.Flush();
            zstd.Write(data, 100, data.Length - 100);
        }

        var frame = stream.ToArray();

        Assert.Equal(data, CompressionCodecs.Decompress(CompressionType.Zstd, frame));
        Assert.Equal([.. data, .. data], CompressionCodecs.Decompress(CompressionType.Zstd, [.. frame, .. frame]));
    }
}
