using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using K4os.Compression.LZ4.Streams;

namespace Freshet.Log.Records;

/// <summary>
/// Compresses and decompresses the records section of a batch with the codec named in its attributes,
/// through the packages DESIGN.md names (System.IO.Compression, Snappier, K4os LZ4 frames, ZstdSharp).
/// Thread-safe (no shared state).
/// </summary>
public static class CompressionCodecs
{
    // The Java client frames snappy data the way xerial's SnappyOutputStream does: this magic,
    // two int32 version fields, then blocks of (int32 big-endian length, raw snappy block).
    private static ReadOnlySpan<byte> XerialMagic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];

    private const int XerialHeaderSize = 16;

    // Snappy's densest element, a 3-byte copy of 64 bytes, expands 64/3 < 22 times, so a block claiming
    // more than this multiple of its own size is corrupt. Checking the claim before allocating keeps a
    // few bytes of garbage from demanding a 2 GiB buffer (which failed with OutOfMemoryException).
    private const int SnappyMaxExpansion = 32;

    /// <summary>Compresses <paramref name="source"/> with <paramref name="codec"/>.</summary>
    public static byte[] Compress(CompressionType codec, ReadOnlySpan<byte> source)
    {
        switch (codec)
        {
            case CompressionType.None:
                return source.ToArray();
            case CompressionType.Gzip:
                {
                    using var output = new MemoryStream(source.Length / 2 + 64);
                    using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
                    {
                        gzip.Write(source);
                    }

                    return output.ToArray();
                }

            case CompressionType.Snappy:
                return Snappier.Snappy.CompressToArray(source);
            case CompressionType.Lz4:
                {
                    var writer = new ArrayBufferWriter<byte>(source.Length / 2 + 64);
                    LZ4Frame.Encode(source, writer);
                    return writer.WrittenSpan.ToArray();
                }

            case CompressionType.Zstd:
                {
                    using var compressor = new ZstdSharp.Compressor();
                    return compressor.Wrap(source).ToArray();
                }

            default:
                throw new LogException(LogErrorCode.UnsupportedCompressionType, $"Unknown compression codec {(int)codec}.");
        }
    }

    /// <summary>Decompresses <paramref name="source"/>, which was written with <paramref name="codec"/>.</summary>
    /// <exception cref="LogException">With <see cref="LogErrorCode.CorruptMessage"/> when the data is not valid for the codec.</exception>
    public static byte[] Decompress(CompressionType codec, ReadOnlySpan<byte> source)
    {
        try
        {
            switch (codec)
            {
                case CompressionType.None:
                    return source.ToArray();
                case CompressionType.Gzip:
                    {
                        using var input = new MemoryStream(source.ToArray(), writable: false);
                        using var gzip = new GZipStream(input, CompressionMode.Decompress);
                        using var output = new MemoryStream(source.Length * 4);
                        gzip.CopyTo(output);
                        return output.ToArray();
                    }

                case CompressionType.Snappy:
                    return source.StartsWith(XerialMagic) ? DecompressXerial(source) : DecompressSnappyBlock(source);
                case CompressionType.Lz4:
                    {
                        var writer = new ArrayBufferWriter<byte>(source.Length * 4 + 64);
                        LZ4Frame.Decode(source, writer);
                        return writer.WrittenSpan.ToArray();
                    }

                case CompressionType.Zstd:
                    {
                        // Streamed rather than Decompressor.Unwrap, which allocates whatever content size the
                        // frame header claims (up to 2 GiB) before checking a byte of the data.
                        using var input = new MemoryStream(source.ToArray(), writable: false);
                        using var zstd = new ZstdSharp.DecompressionStream(input);
                        using var output = new MemoryStream((int)Math.Min(source.Length * 4L, Array.MaxLength));
                        zstd.CopyTo(output);
                        return output.ToArray();
                    }

                default:
                    throw new LogException(LogErrorCode.UnsupportedCompressionType, $"Unknown compression codec {(int)codec}.");
            }
        }
        catch (Exception e) when (e is not LogException and not OutOfMemoryException)
        {
            throw new LogException(LogErrorCode.CorruptMessage, $"The {codec} data could not be decompressed: {e.Message}", e);
        }
    }

    private static byte[] DecompressXerial(ReadOnlySpan<byte> source)
    {
        var output = new ArrayBufferWriter<byte>(source.Length * 4);
        var position = XerialHeaderSize;
        while (position < source.Length)
        {
            if (source.Length - position < 4)
            {
                throw new InvalidDataException("truncated xerial snappy block length.");
            }

            var blockLength = BinaryPrimitives.ReadInt32BigEndian(source[position..]);
            position += 4;
            if (blockLength < 0 || blockLength > source.Length - position)
            {
                throw new InvalidDataException($"xerial snappy block of {blockLength} bytes runs past the end.");
            }

            var block = source.Slice(position, blockLength);
            var length = SnappyUncompressedLength(block);
            var written = Snappier.Snappy.Decompress(block, output.GetSpan(length));
            output.Advance(written);
            position += blockLength;
        }

        return output.WrittenSpan.ToArray();
    }

    private static byte[] DecompressSnappyBlock(ReadOnlySpan<byte> block)
    {
        var output = new byte[SnappyUncompressedLength(block)];
        var written = Snappier.Snappy.Decompress(block, output);
        if (written != output.Length)
        {
            throw new InvalidDataException($"snappy block decompressed to {written} bytes but declared {output.Length}.");
        }

        return output;
    }

    private static int SnappyUncompressedLength(ReadOnlySpan<byte> block)
    {
        var length = Snappier.Snappy.GetUncompressedLength(block);
        if ((long)length > (long)block.Length * SnappyMaxExpansion)
        {
            throw new InvalidDataException($"a snappy block of {block.Length} bytes cannot hold the {length} bytes it declares.");
        }

        return length;
    }
}
