using System.Buffers.Binary;
using System.Text;

namespace Freshet.Kafka.Protocol;

/// <summary>
/// Decodes Kafka's primitive types from a buffer, front to back. All integers are big-endian; varints
/// are protocol-buffers style (unsigned, or zig-zag for signed); "compact" forms (KIP-482, used by
/// flexible versions) carry unsigned-varint lengths of N+1 with 0 meaning null, the classic forms
/// carry int16 (strings) or int32 (bytes, arrays) lengths with -1 meaning null.
/// </summary>
/// <remarks>
/// <para>
/// Untrusted input: every length is checked against the bytes that remain <em>before</em> anything
/// is allocated, so a hostile length cannot make the reader allocate more than the input's size.
/// Every failure is a <see cref="KafkaProtocolException"/> naming the field; nothing else escapes.
/// </para>
/// <para>
/// Zero copy: <see cref="ReadRecords"/> returns a slice of the input memory, not a copy. Such a slice
/// is valid only as long as the input memory is; a caller that recycles the input (a pipe, a pooled
/// buffer) must finish with the decoded message first. Other byte fields are copied out.
/// </para>
/// <para>
/// Tagged fields: <see cref="ReadTaggedField"/> hands out a sub-reader bounded to one field's bytes;
/// messages decode the tags they know from it and skip all others. Unknown tags are dropped: they
/// are not kept on the decoded object and so are not written back out.
/// </para>
/// <para>A mutable cursor over one buffer; not thread-safe. Pass it by <see langword="ref"/>.</para>
/// </remarks>
public ref struct KafkaReader
{
    // Longest encodings: 5 bytes carry 35 bits, enough for 32; 10 bytes carry 70 bits, enough for 64.
    private const int MaxVarintBytes = 5;
    private const int MaxVarlongBytes = 10;

    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _span;
    private int _position;

    /// <summary>Creates a reader positioned at the start of <paramref name="buffer"/>.</summary>
    public KafkaReader(ReadOnlyMemory<byte> buffer)
    {
        _memory = buffer;
        _span = buffer.Span;
        _position = 0;
    }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes not yet consumed.</summary>
    public readonly int Remaining => _span.Length - _position;

    /// <summary>Whether every byte has been consumed.</summary>
    public readonly bool IsAtEnd => _position == _span.Length;

    /// <summary>Reads a signed byte (Kafka int8).</summary>
    public sbyte ReadInt8(string field) => (sbyte)Take(1, field)[0];

    /// <summary>Reads a big-endian int16.</summary>
    public short ReadInt16(string field) => BinaryPrimitives.ReadInt16BigEndian(Take(2, field));

    /// <summary>Reads a big-endian uint16.</summary>
    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(Take(2, field));

    /// <summary>Reads a big-endian int32.</summary>
    public int ReadInt32(string field) => BinaryPrimitives.ReadInt32BigEndian(Take(4, field));

    /// <summary>Reads a big-endian uint32.</summary>
    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32BigEndian(Take(4, field));

    /// <summary>Reads a big-endian int64.</summary>
    public long ReadInt64(string field) => BinaryPrimitives.ReadInt64BigEndian(Take(8, field));

    /// <summary>Reads a big-endian IEEE 754 double (Kafka float64).</summary>
    public double ReadFloat64(string field) => BinaryPrimitives.ReadDoubleBigEndian(Take(8, field));

    /// <summary>Reads a boolean byte; like Kafka, any non-zero byte is true.</summary>
    public bool ReadBool(string field) => Take(1, field)[0] != 0;

    /// <summary>Reads a 16-byte big-endian UUID (topic ids) as a <see cref="Guid"/> whose string form matches Java's <c>UUID.toString()</c>.</summary>
    public Guid ReadUuid(string field) => new(Take(16, field), bigEndian: true);

    /// <summary>Reads an unsigned varint of at most 32 bits.</summary>
    /// <exception cref="KafkaProtocolException">Truncated, longer than 5 bytes, or over 32 bits.</exception>
    public uint ReadUnsignedVarint(string field)
    {
        uint value = 0;
        for (int i = 0; i < MaxVarintBytes; i++)
        {
            if (_position >= _span.Length)
            {
                throw Truncated(field, 1);
            }

            byte b = _span[_position++];
            if (i == MaxVarintBytes - 1 && b > 0x0F)
            {
                throw new KafkaProtocolException(field, $"Field '{field}': unsigned varint does not fit in 32 bits.");
            }

            value |= (uint)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new KafkaProtocolException(field, $"Field '{field}': varint is longer than {MaxVarintBytes} bytes.");
    }

    /// <summary>Reads a zig-zag signed varint of at most 32 bits.</summary>
    public int ReadVarint(string field)
    {
        uint raw = ReadUnsignedVarint(field);
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    /// <summary>Reads a zig-zag signed varlong of at most 64 bits.</summary>
    /// <exception cref="KafkaProtocolException">Truncated, longer than 10 bytes, or over 64 bits.</exception>
    public long ReadVarlong(string field)
    {
        ulong raw = 0;
        for (int i = 0; i < MaxVarlongBytes; i++)
        {
            if (_position >= _span.Length)
            {
                throw Truncated(field, 1);
            }

            byte b = _span[_position++];
            if (i == MaxVarlongBytes - 1 && b > 0x01)
            {
                throw new KafkaProtocolException(field, $"Field '{field}': varlong does not fit in 64 bits.");
            }

            raw |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return (long)(raw >> 1) ^ -(long)(raw & 1);
            }
        }

        throw new KafkaProtocolException(field, $"Field '{field}': varlong is longer than {MaxVarlongBytes} bytes.");
    }

    /// <summary>Reads a non-null string: int16 length, or unsigned-varint length+1 when <paramref name="compact"/>.</summary>
    /// <exception cref="KafkaProtocolException">Null on the wire, a bad length, or too few bytes.</exception>
    public string ReadString(bool compact, string field) =>
        ReadNullableString(compact, field)
        ?? throw new KafkaProtocolException(field, $"Field '{field}' is not nullable but was encoded as null.");

    /// <summary>Reads a string that may be null (length -1, or 0 when <paramref name="compact"/>). UTF-8; invalid sequences decode as U+FFFD.</summary>
    public string? ReadNullableString(bool compact, string field)
    {
        int length;
        if (compact)
        {
            length = CompactLength(field);
        }
        else
        {
            length = ReadInt16(field);
            if (length < -1)
            {
                throw new KafkaProtocolException(field, $"Field '{field}': string length {length} is negative.");
            }
        }

        if (length < 0)
        {
            return null;
        }

        // Kafka caps every string at int16 range, compact or not.
        if (length > short.MaxValue)
        {
            throw new KafkaProtocolException(field, $"Field '{field}': string length {length} exceeds {short.MaxValue}.");
        }

        return length == 0 ? string.Empty : Encoding.UTF8.GetString(Take(length, field));
    }

    /// <summary>Reads non-null bytes (int32 length, or unsigned-varint length+1 when <paramref name="compact"/>) into a new array.</summary>
    public byte[] ReadBytes(bool compact, string field) =>
        ReadNullableBytes(compact, field)
        ?? throw new KafkaProtocolException(field, $"Field '{field}' is not nullable but was encoded as null.");

    /// <summary>Reads bytes that may be null into a new array, so the result outlives the input buffer.</summary>
    public byte[]? ReadNullableBytes(bool compact, string field)
    {
        int length = BytesLength(compact, field);
        if (length < 0)
        {
            return null;
        }

        return length == 0 ? [] : Take(length, field).ToArray();
    }

    /// <summary>
    /// Reads a records field (RecordBatch bytes, nullable bytes on the wire) as a slice of the input,
    /// without copying. Null when the wire says null. The slice is valid as long as the input memory is.
    /// </summary>
    public ReadOnlyMemory<byte>? ReadRecords(bool compact, string field)
    {
        int length = BytesLength(compact, field);
        if (length < 0)
        {
            return null;
        }

        EnsureAvailable(length, field);
        var slice = _memory.Slice(_position, length);
        _position += length;
        return slice;
    }

    /// <summary>
    /// Reads an array's element count: int32, or unsigned-varint count+1 when <paramref name="compact"/>.
    /// Returns -1 for a null array. The count is checked against the bytes that remain, assuming each
    /// element takes at least <paramref name="minElementBytes"/>, so callers may allocate that many.
    /// </summary>
    public int ReadArrayLength(bool compact, string field, int minElementBytes = 1)
    {
        int count;
        if (compact)
        {
            count = CompactLength(field);
        }
        else
        {
            count = ReadInt32(field);
            if (count < -1)
            {
                throw new KafkaProtocolException(field, $"Field '{field}': array length {count} is negative.");
            }
        }

        if (count > 0 && (long)count * minElementBytes > Remaining)
        {
            throw new KafkaProtocolException(field, $"Field '{field}': array of {count} elements cannot fit in the {Remaining} bytes that remain.");
        }

        return count;
    }

    /// <summary>Reads a non-null array of structs.</summary>
    public T[] ReadArray<T>(bool compact, short version, string field)
        where T : IKafkaStruct<T> =>
        ReadNullableArray<T>(compact, version, field)
        ?? throw new KafkaProtocolException(field, $"Field '{field}' is not nullable but was encoded as null.");

    /// <summary>Reads an array of structs that may be null.</summary>
    public T[]? ReadNullableArray<T>(bool compact, short version, string field)
        where T : IKafkaStruct<T>
    {
        int count = ReadArrayLength(compact, field);
        if (count < 0)
        {
            return null;
        }

        var items = count == 0 ? [] : new T[count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = T.Read(ref this, version);
        }

        return items;
    }

    /// <summary>Reads a non-null array of int32.</summary>
    public int[] ReadInt32Array(bool compact, string field) =>
        ReadNullableInt32Array(compact, field)
        ?? throw new KafkaProtocolException(field, $"Field '{field}' is not nullable but was encoded as null.");

    /// <summary>Reads a non-null array of int64.</summary>
    public long[] ReadInt64Array(bool compact, string field) =>
        ReadNullableInt64Array(compact, field)
        ?? throw new KafkaProtocolException(field, $"Field '{field}' is not nullable but was encoded as null.");

    /// <summary>Reads a non-null array of non-null strings.</summary>
    public string[] ReadStringArray(bool compact, string field) =>
        ReadNullableStringArray(compact, field)
        ?? throw new KafkaProtocolException(field, $"Field '{field}' is not nullable but was encoded as null.");

    /// <summary>Reads an array of int32 that may be null.</summary>
    public int[]? ReadNullableInt32Array(bool compact, string field)
    {
        int count = ReadArrayLength(compact, field, sizeof(int));
        if (count < 0)
        {
            return null;
        }

        var items = count == 0 ? [] : new int[count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = ReadInt32(field);
        }

        return items;
    }

    /// <summary>Reads an array of int64 that may be null.</summary>
    public long[]? ReadNullableInt64Array(bool compact, string field)
    {
        int count = ReadArrayLength(compact, field, sizeof(long));
        if (count < 0)
        {
            return null;
        }

        var items = count == 0 ? [] : new long[count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = ReadInt64(field);
        }

        return items;
    }

    /// <summary>Reads an array of non-null strings that may itself be null.</summary>
    public string[]? ReadNullableStringArray(bool compact, string field)
    {
        int count = ReadArrayLength(compact, field);
        if (count < 0)
        {
            return null;
        }

        var items = count == 0 ? [] : new string[count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = ReadString(compact, field);
        }

        return items;
    }

    /// <summary>Reads the count that opens a tagged-field section (flexible versions only).</summary>
    public int ReadTaggedFieldCount(string field)
    {
        uint count = ReadUnsignedVarint(field);

        // Each tagged field takes at least two bytes (tag and size).
        if (count > (uint)Remaining / 2)
        {
            throw new KafkaProtocolException(field, $"Field '{field}': {count} tagged fields cannot fit in the {Remaining} bytes that remain.");
        }

        return (int)count;
    }

    /// <summary>
    /// Reads one tagged field's tag and size, advances past its bytes and returns a reader bounded to
    /// them. Decode a known tag from the returned reader; ignore it to skip an unknown tag.
    /// </summary>
    public KafkaReader ReadTaggedField(out uint tag, string field)
    {
        tag = ReadUnsignedVarint(field);
        uint size = ReadUnsignedVarint(field);
        if (size > (uint)Remaining)
        {
            throw Truncated(field, size > int.MaxValue ? int.MaxValue : (int)size);
        }

        var inner = new KafkaReader(_memory.Slice(_position, (int)size));
        _position += (int)size;
        return inner;
    }

    /// <summary>Reads a tagged-field section whose tags are all unknown to the struct, skipping them.</summary>
    public void SkipTaggedFields(string field)
    {
        int count = ReadTaggedFieldCount(field);
        for (int i = 0; i < count; i++)
        {
            _ = ReadTaggedField(out _, field);
        }
    }

    /// <summary>Throws unless at least <paramref name="count"/> bytes remain.</summary>
    public readonly void EnsureAvailable(int count, string field)
    {
        if (count > Remaining)
        {
            throw Truncated(field, count);
        }
    }

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        EnsureAvailable(count, field);
        var slice = _span.Slice(_position, count);
        _position += count;
        return slice;
    }

    private int BytesLength(bool compact, string field)
    {
        if (compact)
        {
            return CompactLength(field);
        }

        int length = ReadInt32(field);
        if (length < -1)
        {
            throw new KafkaProtocolException(field, $"Field '{field}': bytes length {length} is negative.");
        }

        return length;
    }

    // Compact lengths are N+1, so 0 is null (-1) and the largest usable N is int.MaxValue - 1.
    private int CompactLength(string field)
    {
        uint raw = ReadUnsignedVarint(field);
        if (raw > int.MaxValue)
        {
            throw new KafkaProtocolException(field, $"Field '{field}': compact length {raw - 1} is too large.");
        }

        return (int)raw - 1;
    }

    private readonly KafkaProtocolException Truncated(string field, int needed) =>
        new(field, $"Field '{field}' needs {needed} bytes at position {_position} but only {Remaining} remain.");
}
