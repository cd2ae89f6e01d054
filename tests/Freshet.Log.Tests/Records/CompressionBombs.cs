using System.Buffers.Binary;
using System.IO.Compression;
using Freshet.Log.Records;
using K4os.Compression.LZ4.Streams;

namespace Freshet.Log.Tests.Records;

/// <summary>
/// Builds valid RecordBatch v2 batches whose compressed records section is small but decompresses to a
/// chosen, large size (a decompression bomb): well-formed records with zero-filled values, streamed
/// through the codec so the test never holds the decompressed bytes. Shared with the broker tests.
/// </summary>
internal static class CompressionBombs
{
    private const int WriteChunkBytes = 64 * 1024;

    /// <summary>A batch of <paramref name="records"/> records, each with a value of <paramref name="valueBytes"/> zero bytes, compressed with <paramref name="codec"/>.</summary>
    public static byte[] Batch(CompressionType codec, int records, int valueBytes)
    {
        using var compressed = new MemoryStream();
        using (var writer = OpenCompressor(codec, compressed))
        {
            var chunk = new byte[WriteChunkBytes];
            Span<byte> head = stackalloc byte[32];
            Span<byte> body = stackalloc byte[16];
            for (var i = 0; i < records; i++)
            {
                // Record: length, attributes 0, timestamp delta 0, offset delta i, null key, value, no headers.
                var b = 0;
                body[b++] = 0;
                b += Varint.WriteVarlong(body[b..], 0);
                b += Varint.WriteVarint(body[b..], i);
                b += Varint.WriteVarint(body[b..], -1);
                b += Varint.WriteVarint(body[b..], valueBytes);
                var bodyLength = b + valueBytes + 1;
                var h = Varint.WriteVarint(head, bodyLength);
                body[..b].CopyTo(head[h..]);
                writer.Write(head[..(h + b)]);
                for (var left = valueBytes; left > 0; left -= WriteChunkBytes)
                {
                    writer.Write(chunk, 0, Math.Min(left, WriteChunkBytes));
                }

                writer.WriteByte(0);
            }
        }

        var section = compressed.ToArray();
        var batch = new byte[RecordBatchHeader.Size + section.Length];
        var span = batch.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span[8..], batch.Length - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.PartitionLeaderEpochOffset..], -1);
        span[RecordBatchHeader.MagicOffset] = RecordBatchHeader.CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatchHeader.AttributesOffset..], (short)codec);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.LastOffsetDeltaOffset..], records - 1);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.BaseTimestampOffset..], now);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.MaxTimestampOffset..], now);
        BinaryPrimitives.WriteInt64BigEndian(span[RecordBatchHeader.ProducerIdOffset..], -1);
        BinaryPrimitives.WriteInt16BigEndian(span[RecordBatchHeader.ProducerEpochOffset..], -1);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.BaseSequenceOffset..], -1);
        BinaryPrimitives.WriteInt32BigEndian(span[RecordBatchHeader.RecordCountOffset..], records);
        section.CopyTo(span[RecordBatchHeader.Size..]);
        RecordBatchHeader.WriteCrc(batch);
        return batch;
    }

    private static Stream OpenCompressor(CompressionType codec, Stream output) => codec switch
    {
        CompressionType.Gzip => new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true),
        CompressionType.Zstd => new ZstdSharp.CompressionStream(output, level: 3, leaveOpen: true),
        CompressionType.Lz4 => LZ4Stream.Encode(output, leaveOpen: true),
        CompressionType.Snappy => new XerialSnappyWriter(output),
        _ => throw new ArgumentOutOfRangeException(nameof(codec), codec, "Not a compression codec."),
    };
}
