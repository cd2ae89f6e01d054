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

    // zstd window limits for validation. A streaming compressor (the Java client's zstd-jni, librdkafka)
    // does not know the content size and advertises its level's window: 2^21 at the default level 3, 2^23 up
    // to level 19, up to 2^27 for the "ultra" levels 20-22. 2^23 (8 MiB) at least keeps every ordinary level
    // working; above that the window may grow with the size limit, up to zstd's own default ceiling 2^27.
    private const int ZstdMinWindowLog = 23;
    private const int ZstdDefaultMaxWindowLog = 27;

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

    /// <summary>
    /// Decompresses <paramref name="source"/> into <paramref name="records"/> a piece at a time, stopping as
    /// soon as the validator fails (a bad record, or the size limit passed): the whole output is never held,
    /// and the rest of an oversized payload is never inflated. gzip, zstd and lz4 stream through bounded
    /// decoder state; snappy blocks are checked against the limit from their declared size before they are
    /// decompressed.
    /// </summary>
    /// <exception cref="LogException">With <see cref="LogErrorCode.CorruptMessage"/> when the data is not valid for the codec.</exception>
    internal static unsafe void DecompressTo(CompressionType codec, ReadOnlySpan<byte> source, RecordStreamValidator records)
    {
        try
        {
            switch (codec)
            {
                case CompressionType.Snappy:
                    if (source.StartsWith(XerialMagic))
                    {
                        DecompressXerialTo(source, records);
                    }
                    else
                    {
                        DecompressSnappyBlockTo(source, records);
                    }

                    return;
                case CompressionType.Gzip:
                case CompressionType.Lz4:
                case CompressionType.Zstd:
                    fixed (byte* pointer = source)
                    {
                        // Reads the caller's bytes in place: no copy of the compressed section.
                        using var input = new UnmanagedMemoryStream(pointer, source.Length);
                        using var decoder = OpenDecoder(codec, input, records);
                        while (true)
                        {
                            var space = records.GetSpan();
                            if (space.IsEmpty)
                            {
                                return;
                            }

                            var read = decoder.Read(space);
                            if (read == 0 || !records.Advance(read))
                            {
                                return;
                            }
                        }
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

    private static Stream OpenDecoder(CompressionType codec, Stream input, RecordStreamValidator records)
    {
        switch (codec)
        {
            case CompressionType.Gzip:
                return new GZipStream(input, CompressionMode.Decompress);
            case CompressionType.Lz4:
                return LZ4Stream.Decode(input, extraMemory: 0, leaveOpen: true);
            default:
                {
                    var zstd = new ZstdSharp.DecompressionStream(input, leaveOpen: true);

                    // A frame may declare a window of up to 2^31 bytes, which the decoder would allocate up
                    // front. No valid batch needs a window larger than its own records section, so the window is
                    // capped near the size limit (zstd's own default cap, 2^27, being the most allowed).
                    zstd.SetParameter(ZstdSharp.Unsafe.ZSTD_dParameter.ZSTD_d_windowLogMax, ZstdWindowLogMax(records));
                    return zstd;
                }
        }
    }

    private static int ZstdWindowLogMax(RecordStreamValidator records)
    {
        var log = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)Math.Max(records.MaxBytes, 1));
        return Math.Clamp(log, ZstdMinWindowLog, ZstdDefaultMaxWindowLog);
    }

    private static void DecompressXerialTo(ReadOnlySpan<byte> source, RecordStreamValidator records)
    {
        var position = XerialHeaderSize;
        while (position < source.Length)
        {
            if (!DecompressSnappyBlockTo(NextXerialBlock(source, ref position), records))
            {
                return;
            }
        }
    }

    /// <summary>
    /// The block of a xerial-framed snappy payload that starts at <paramref name="position"/> (a 4-byte big-endian
    /// length, then the block), moving <paramref name="position"/> past it.
    /// </summary>
    /// <exception cref="InvalidDataException">The length is truncated or runs past the end.</exception>
    private static ReadOnlySpan<byte> NextXerialBlock(ReadOnlySpan<byte> source, ref int position)
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
        position += blockLength;
        return block;
    }

    /// <returns>False when the validator failed and decompression must stop.</returns>
    private static bool DecompressSnappyBlockTo(ReadOnlySpan<byte> block, RecordStreamValidator records)
    {
        var length = SnappyUncompressedLength(block);
        if (length == 0)
        {
            return true;
        }

        var space = records.GetSpan(length);
        if (space.IsEmpty)
        {
            return false;
        }

        var written = Snappier.Snappy.Decompress(block, space);
        if (written != length)
        {
            throw new InvalidDataException($"snappy block decompressed to {written} bytes but declared {length}.");
        }

        return records.Advance(written);
    }

    private static byte[] DecompressXerial(ReadOnlySpan<byte> source)
    {
        var output = new ArrayBufferWriter<byte>(source.Length * 4);
        var position = XerialHeaderSize;
        while (position < source.Length)
        {
            var block = NextXerialBlock(source, ref position);
            var length = SnappyUncompressedLength(block);
            var written = Snappier.Snappy.Decompress(block, output.GetSpan(length));
            output.Advance(written);
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
