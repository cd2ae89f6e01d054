using System.Buffers;
using System.Buffers.Binary;

namespace Freshet.Kafka.Protocol.Framing;

/// <summary>
/// Splits a byte stream into Kafka frames: an int32 big-endian size, then that many payload bytes
/// (a request or response header and body). Pure logic over buffers, for a socket reader built on
/// System.IO.Pipelines: feed it what has arrived, take a frame when one is complete.
/// </summary>
/// <remarks>
/// A negative size, or one above <see cref="MaxFrameBytes"/>, is refused with a
/// <see cref="KafkaProtocolException"/> as soon as the four size bytes are there, before any payload is
/// buffered: the connection cannot be resynchronised and should be closed. A size of zero is a
/// complete empty frame (its header will then fail to decode). Immutable; thread-safe.
/// </remarks>
public sealed class FrameDecoder
{
    /// <summary>Bytes of the size prefix in front of every frame.</summary>
    public const int SizePrefixBytes = 4;

    /// <summary>Creates a decoder that refuses frames whose payload exceeds <paramref name="maxFrameBytes"/>.</summary>
    public FrameDecoder(int maxFrameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxFrameBytes);
        MaxFrameBytes = maxFrameBytes;
    }

    /// <summary>The largest payload accepted, in bytes (the size prefix itself not counted).</summary>
    public int MaxFrameBytes { get; }

    /// <summary>
    /// Takes the first complete frame from <paramref name="buffer"/>: on success <paramref name="payload"/>
    /// is its payload (a slice of the buffer) and <paramref name="buffer"/> is advanced past it. Returns
    /// false, leaving <paramref name="buffer"/> unchanged, while the frame is still incomplete.
    /// </summary>
    /// <exception cref="KafkaProtocolException">The size is negative or above <see cref="MaxFrameBytes"/>.</exception>
    public bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < SizePrefixBytes)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[SizePrefixBytes];
        buffer.Slice(0, SizePrefixBytes).CopyTo(prefix);
        int size = CheckSize(BinaryPrimitives.ReadInt32BigEndian(prefix));
        if (buffer.Length - SizePrefixBytes < size)
        {
            return false;
        }

        payload = buffer.Slice(SizePrefixBytes, size);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    /// <summary>
    /// Reads the size prefix of the first frame in <paramref name="buffer"/> without taking the frame, so a
    /// server can account for the payload's memory before buffering it. Returns false while fewer than
    /// <see cref="SizePrefixBytes"/> bytes are there.
    /// </summary>
    /// <exception cref="KafkaProtocolException">The size is negative or above <see cref="MaxFrameBytes"/>.</exception>
    public bool TryReadSize(in ReadOnlySequence<byte> buffer, out int size)
    {
        size = 0;
        if (buffer.Length < SizePrefixBytes)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[SizePrefixBytes];
        buffer.Slice(0, SizePrefixBytes).CopyTo(prefix);
        size = CheckSize(BinaryPrimitives.ReadInt32BigEndian(prefix));
        return true;
    }

    /// <summary>
    /// Finds the first complete frame in <paramref name="buffer"/>: on success <paramref name="payload"/>
    /// is its payload (a slice, not a copy) and <paramref name="consumed"/> the bytes it occupies with its
    /// size prefix. Returns false while the frame is still incomplete.
    /// </summary>
    /// <exception cref="KafkaProtocolException">The size is negative or above <see cref="MaxFrameBytes"/>.</exception>
    public bool TryReadFrame(ReadOnlyMemory<byte> buffer, out ReadOnlyMemory<byte> payload, out int consumed)
    {
        payload = default;
        consumed = 0;
        if (buffer.Length < SizePrefixBytes)
        {
            return false;
        }

        int size = CheckSize(BinaryPrimitives.ReadInt32BigEndian(buffer.Span));
        if (buffer.Length - SizePrefixBytes < size)
        {
            return false;
        }

        payload = buffer.Slice(SizePrefixBytes, size);
        consumed = SizePrefixBytes + size;
        return true;
    }

    private int CheckSize(int size)
    {
        if (size < 0)
        {
            throw new KafkaProtocolException("Size", $"Frame size {size} is negative.");
        }

        if (size > MaxFrameBytes)
        {
            throw new KafkaProtocolException("Size", $"Frame size {size} exceeds the maximum of {MaxFrameBytes} bytes.");
        }

        return size;
    }
}
