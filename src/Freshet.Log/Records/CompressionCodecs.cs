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
                    return source.StartsWith(XerialMagic) ? DecompressXerial(source) : Snappier.Snappy.DecompressToArray(source);
                case CompressionType.Lz4:
                    {
                        var writer = new ArrayBufferWriter<byte>(source.Length * 4 + 64);
                        LZ4Frame.Decode(source, writer);
                        return writer.WrittenSpan.ToArray();
                    }

                case CompressionType.Zstd:
                    {
                        using var decompressor = new ZstdSharp.Decompressor();
                        return decompressor.Unwrap(source).ToArray();
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
            var length = Snappier.Snappy.GetUncompressedLength(block);
            var written = Snappier.Snappy.Decompress(block, output.GetSpan(length));
            output.Advance(written);
            position += blockLength;
        }

        return output.WrittenSpan.ToArray();
    }
}
