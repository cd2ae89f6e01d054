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

    /// <summary>Compresses <paramref name="source"/> with <paramref name="codec"/> at the codec's fast level.</summary>
    public static byte[] Compress(CompressionType codec, ReadOnlySpan<byte> source) => Compress(codec, source, level: null);

    /// <summary>
    /// Compresses <paramref name="source"/> with <paramref name="codec"/> at <paramref name="level"/>, in
    /// Kafka's scale for the codec (gzip -1 or 1-9, lz4 1-17, zstd -131072 to 22; snappy has none), or at
    /// the codec's fast level when null.
    /// </summary>
    public static byte[] Compress(CompressionType codec, ReadOnlySpan<byte> source, int? level)
    {
        switch (codec)
        {
            case CompressionType.None:
                return source.ToArray();
            case CompressionType.Gzip:
                {
                    using var output = new MemoryStream(source.Length / 2 + 64);
                    using (var gzip = level is { } gzipLevel
                        ? new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = gzipLevel < 0 ? 6 : gzipLevel }, leaveOpen: true)
                        : new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
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
                    LZ4Frame.Encode(source, writer, Lz4Level(level));
                    return writer.WrittenSpan.ToArray();
                }

            case CompressionType.Zstd:
                {
                    using var compressor = level is { } zstdLevel ? new ZstdSharp.Compressor(zstdLevel) : new ZstdSharp.Compressor();
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

    /// <summary>
    /// Kafka's lz4 levels (1-17) onto K4os' (fast, HC 3-9, OPT 10-11, MAX 12) the way Kafka uses lz4-java:
    /// its default level 9 means the fast compressor, any other level high compression at that level.
    /// </summary>
    private static K4os.Compression.LZ4.LZ4Level Lz4Level(int? level) => level switch
    {
        null or 9 => K4os.Compression.LZ4.LZ4Level.L00_FAST,
        < 3 => K4os.Compression.LZ4.LZ4Level.L03_HC,
        > 12 => K4os.Compression.LZ4.LZ4Level.L12_MAX,
        { } hc => (K4os.Compression.LZ4.LZ4Level)hc,
    };

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
