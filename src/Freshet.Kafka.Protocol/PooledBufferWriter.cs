using System.Buffers;
using System.Buffers.Binary;

namespace Freshet.Kafka.Protocol;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>: the usual target of a
/// <see cref="KafkaWriter"/>. Written bytes are contiguous, so a frame's size prefix can be patched
/// after its body is written. Growing doubles the capacity and returns the old array to the pool.
/// </summary>
/// <remarks>
/// Not thread-safe. <see cref="WrittenMemory"/> and <see cref="WrittenSpan"/> are invalidated by the
/// next write that grows the buffer, and by <see cref="Dispose"/>. Reuse one instance with
/// <see cref="Clear"/> to avoid renting per message.
/// </remarks>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int DefaultInitialCapacity = 256;

    private byte[] _buffer;
    private int _written;

    /// <summary>Creates a writer with at least <paramref name="initialCapacity"/> bytes of room.</summary>
    public PooledBufferWriter(int initialCapacity = DefaultInitialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 16));
    }

    /// <summary>Bytes written so far.</summary>
    public int WrittenCount => _written;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>Forgets the written bytes and keeps the capacity.</summary>
    public void Clear() => _written = 0;

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _written)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Returns the buffer to the pool. The writer must not be used afterwards.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Overwrites four already-written bytes at <paramref name="position"/> with a big-endian int32.</summary>
    internal void PatchInt32BigEndian(int position, int value)
    {
        if ((uint)position > (uint)(_written - sizeof(int)))
        {
            throw new ArgumentOutOfRangeException(nameof(position));
        }

        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(position), value);
    }

    private void Reserve(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        long wanted = Math.Max((long)_buffer.Length * 2, (long)_written + needed);
        int capacity = (int)Math.Min(wanted, Array.MaxLength);
        if (capacity - _written < needed)
        {
            throw new InvalidOperationException("The buffer cannot grow any further.");
        }

        var bigger = ArrayPool<byte>.Shared.Rent(capacity);
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
