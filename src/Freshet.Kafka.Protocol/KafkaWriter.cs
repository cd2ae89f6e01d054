using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Freshet.Kafka.Protocol;

/// <summary>
/// Encodes Kafka's primitive types onto an <see cref="IBufferWriter{T}"/>: the mirror of
/// <see cref="KafkaReader"/>, with the same encodings (big-endian integers, varints, classic int16/int32
/// lengths with -1 for null, compact unsigned-varint lengths N+1 with 0 for null).
/// </summary>
/// <remarks>
/// <para>
/// Tagged fields are written in ascending tag order by the messages; each tagged value is first
/// encoded into a scratch buffer because its size precedes it on the wire. Only known tags with a
/// non-default value are written (as Kafka does); unknown tags read from the wire were dropped.
/// </para>
/// <para>Not thread-safe: one writer per output.</para>
/// </remarks>
public sealed class KafkaWriter
{
    private readonly IBufferWriter<byte> _output;
    private long _bytesWritten;

    /// <summary>Creates a writer that appends to <paramref name="output"/>.</summary>
    public KafkaWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Bytes this writer has appended so far.</summary>
    public long BytesWritten => _bytesWritten;

    /// <summary>Writes a signed byte (Kafka int8).</summary>
    public void WriteInt8(sbyte value)
    {
        _output.GetSpan(1)[0] = (byte)value;
        Advance(1);
    }

    /// <summary>Writes a big-endian int16.</summary>
    public void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_output.GetSpan(2), value);
        Advance(2);
    }

    /// <summary>Writes a big-endian uint16.</summary>
    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_output.GetSpan(2), value);
        Advance(2);
    }

    /// <summary>Writes a big-endian int32.</summary>
    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_output.GetSpan(4), value);
        Advance(4);
    }

    /// <summary>Writes a big-endian uint32.</summary>
    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_output.GetSpan(4), value);
        Advance(4);
    }

    /// <summary>Writes a big-endian int64.</summary>
    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_output.GetSpan(8), value);
        Advance(8);
    }

    /// <summary>Writes a big-endian IEEE 754 double (Kafka float64).</summary>
    public void WriteFloat64(double value)
    {
        BinaryPrimitives.WriteDoubleBigEndian(_output.GetSpan(8), value);
        Advance(8);
    }

    /// <summary>Writes a boolean as one byte, 1 or 0.</summary>
    public void WriteBool(bool value)
    {
        _output.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        Advance(1);
    }

    /// <summary>Writes a UUID as 16 big-endian bytes, the inverse of <see cref="KafkaReader.ReadUuid"/>.</summary>
    public void WriteUuid(Guid value)
    {
        _ = value.TryWriteBytes(_output.GetSpan(16), bigEndian: true, out _);
        Advance(16);
    }

    /// <summary>Writes an unsigned varint (1 to 5 bytes).</summary>
    public void WriteUnsignedVarint(uint value)
    {
        var span = _output.GetSpan(5);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        Advance(i);
    }

    /// <summary>Writes a zig-zag signed varint (1 to 5 bytes).</summary>
    public void WriteVarint(int value) => WriteUnsignedVarint((uint)((value << 1) ^ (value >> 31)));

    /// <summary>Writes a zig-zag signed varlong (1 to 10 bytes).</summary>
    public void WriteVarlong(long value)
    {
        ulong raw = (ulong)((value << 1) ^ (value >> 63));
        var span = _output.GetSpan(10);
        int i = 0;
        while (raw >= 0x80)
        {
            span[i++] = (byte)(raw | 0x80);
            raw >>= 7;
        }

        span[i++] = (byte)raw;
        Advance(i);
    }

    /// <summary>Writes a non-null string (UTF-8; int16 length, or unsigned-varint length+1 when <paramref name="compact"/>).</summary>
    /// <exception cref="KafkaProtocolException">The value is null, or longer than 32767 UTF-8 bytes.</exception>
    public void WriteString(string? value, bool compact, string field)
    {
        if (value is null)
        {
            throw new KafkaProtocolException(field, $"Field '{field}' is not nullable at this version but is null.");
        }

        WriteNullableString(value, compact, field);
    }

    /// <summary>Writes a string that may be null.</summary>
    /// <exception cref="KafkaProtocolException">Longer than 32767 UTF-8 bytes.</exception>
    public void WriteNullableString(string? value, bool compact, string field)
    {
        if (value is null)
        {
            WriteNullLength(compact, int16: true);
            return;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        if (length > short.MaxValue)
        {
            throw new KafkaProtocolException(field, $"Field '{field}': string of {length} UTF-8 bytes exceeds {short.MaxValue}.");
        }

        if (compact)
        {
            WriteUnsignedVarint((uint)length + 1);
        }
        else
        {
            WriteInt16((short)length);
        }

        if (length > 0)
        {
            Encoding.UTF8.GetBytes(value, _output.GetSpan(length));
            Advance(length);
        }
    }

    /// <summary>Writes non-null bytes (int32 length, or unsigned-varint length+1 when <paramref name="compact"/>).</summary>
    public void WriteBytes(byte[]? value, bool compact, string field)
    {
        if (value is null)
        {
            throw new KafkaProtocolException(field, $"Field '{field}' is not nullable at this version but is null.");
        }

        WriteLengthAndBytes(value, compact);
    }

    /// <summary>Writes bytes that may be null.</summary>
    public void WriteNullableBytes(byte[]? value, bool compact)
    {
        if (value is null)
        {
            WriteNullLength(compact, int16: false);
            return;
        }

        WriteLengthAndBytes(value, compact);
    }

    /// <summary>
    /// Writes a records field (nullable bytes holding RecordBatch data), copying <paramref name="records"/>
    /// once into the output. Beware: a null <c>byte[]</c> converts implicitly to an empty, non-null
    /// memory; pass <see langword="null"/> itself to write a null field.
    /// </summary>
    public void WriteRecords(ReadOnlyMemory<byte>? records, bool compact)
    {
        if (records is not { } bytes)
        {
            WriteNullLength(compact, int16: false);
            return;
        }

        WriteLengthAndBytes(bytes.Span, compact);
    }

    /// <summary>Writes an array's element count: int32, or unsigned-varint count+1 when <paramref name="compact"/>.</summary>
    public void WriteArrayLength(int count, bool compact)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (compact)
        {
            WriteUnsignedVarint((uint)count + 1);
        }
        else
        {
            WriteInt32(count);
        }
    }

    /// <summary>Writes a non-null array of structs.</summary>
    public void WriteArray<T>(IReadOnlyList<T>? items, bool compact, short version, string field)
        where T : IKafkaStruct<T>
    {
        if (items is null)
        {
            throw new KafkaProtocolException(field, $"Field '{field}' is not nullable at this version but is null.");
        }

        WriteNullableArray(items, compact, version, field);
    }

    /// <summary>Writes an array of structs that may be null.</summary>
    public void WriteNullableArray<T>(IReadOnlyList<T>? items, bool compact, short version, string field)
        where T : IKafkaStruct<T>
    {
        if (items is null)
        {
            WriteNullLength(compact, int16: false);
            return;
        }

        WriteArrayLength(items.Count, compact);
        for (int i = 0; i < items.Count; i++)
        {
            var item = items[i] ?? throw new KafkaProtocolException(field, $"Field '{field}' holds a null element at index {i}.");
            item.Write(this, version);
        }
    }

    /// <summary>Writes a non-null array of int32.</summary>
    public void WriteInt32Array(IReadOnlyList<int>? items, bool compact, string field)
    {
        if (items is null)
        {
            throw new KafkaProtocolException(field, $"Field '{field}' is not nullable at this version but is null.");
        }

        WriteArrayLength(items.Count, compact);
        for (int i = 0; i < items.Count; i++)
        {
            WriteInt32(items[i]);
        }
    }

    /// <summary>Writes a non-null array of int64.</summary>
    public void WriteInt64Array(IReadOnlyList<long>? items, bool compact, string field)
    {
        if (items is null)
        {
            throw new KafkaProtocolException(field, $"Field '{field}' is not nullable at this version but is null.");
        }

        WriteArrayLength(items.Count, compact);
        for (int i = 0; i < items.Count; i++)
        {
            WriteInt64(items[i]);
        }
    }

    /// <summary>Writes a non-null array of non-null strings.</summary>
    public void WriteStringArray(IReadOnlyList<string>? items, bool compact, string field)
    {
        if (items is null)
        {
            throw new KafkaProtocolException(field, $"Field '{field}' is not nullable at this version but is null.");
        }

        WriteArrayLength(items.Count, compact);
        for (int i = 0; i < items.Count; i++)
        {
            WriteString(items[i], compact, field);
        }
    }

    /// <summary>Writes an array of int32 that may be null.</summary>
    public void WriteNullableInt32Array(IReadOnlyList<int>? items, bool compact, string field)
    {
        if (items is null)
        {
            WriteNullLength(compact, int16: false);
            return;
        }

        WriteInt32Array(items, compact, field);
    }

    /// <summary>Writes an array of int64 that may be null.</summary>
    public void WriteNullableInt64Array(IReadOnlyList<long>? items, bool compact, string field)
    {
        if (items is null)
        {
            WriteNullLength(compact, int16: false);
            return;
        }

        WriteInt64Array(items, compact, field);
    }

    /// <summary>Writes an array of non-null strings that may itself be null.</summary>
    public void WriteNullableStringArray(IReadOnlyList<string>? items, bool compact, string field)
    {
        if (items is null)
        {
            WriteNullLength(compact, int16: false);
            return;
        }

        WriteStringArray(items, compact, field);
    }

    /// <summary>Writes a tagged-field section with no fields (a single zero byte).</summary>
    public void WriteEmptyTaggedFields() => WriteUnsignedVarint(0);

    /// <summary>Writes the count that opens a tagged-field section; the fields follow in ascending tag order.</summary>
    public void WriteTaggedFieldCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteUnsignedVarint((uint)count);
    }

    /// <summary>Writes one tagged field holding a struct.</summary>
    public void WriteTaggedStruct<T>(uint tag, T value, short version)
        where T : IKafkaStruct<T>
    {
        using var scratch = new PooledBufferWriter();
        value.Write(new KafkaWriter(scratch), version);
        WriteTaggedField(tag, scratch.WrittenSpan);
    }

    /// <summary>Writes one tagged field holding a compact array of structs.</summary>
    public void WriteTaggedArray<T>(uint tag, IReadOnlyList<T> items, short version, string field)
        where T : IKafkaStruct<T>
    {
        using var scratch = new PooledBufferWriter();
        new KafkaWriter(scratch).WriteArray(items, compact: true, version, field);
        WriteTaggedField(tag, scratch.WrittenSpan);
    }

    /// <summary>Writes one tagged field holding a compact nullable string.</summary>
    public void WriteTaggedNullableString(uint tag, string? value, string field)
    {
        using var scratch = new PooledBufferWriter();
        new KafkaWriter(scratch).WriteNullableString(value, compact: true, field);
        WriteTaggedField(tag, scratch.WrittenSpan);
    }

    /// <summary>Writes one tagged field holding an int64.</summary>
    public void WriteTaggedInt64(uint tag, long value)
    {
        WriteUnsignedVarint(tag);
        WriteUnsignedVarint(sizeof(long));
        WriteInt64(value);
    }

    /// <summary>Writes one tagged field holding a bool.</summary>
    public void WriteTaggedBool(uint tag, bool value)
    {
        WriteUnsignedVarint(tag);
        WriteUnsignedVarint(1);
        WriteBool(value);
    }

    /// <summary>Writes raw bytes with no length prefix.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        bytes.CopyTo(_output.GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    /// <summary>Writes one tagged field whose value is already encoded in <paramref name="payload"/>.</summary>
    public void WriteTaggedField(uint tag, ReadOnlySpan<byte> payload)
    {
        WriteUnsignedVarint(tag);
        WriteUnsignedVarint((uint)payload.Length);
        WriteRaw(payload);
    }

    private void WriteLengthAndBytes(ReadOnlySpan<byte> bytes, bool compact)
    {
        if (compact)
        {
            WriteUnsignedVarint((uint)bytes.Length + 1);
        }
        else
        {
            WriteInt32(bytes.Length);
        }

        WriteRaw(bytes);
    }

    private void WriteNullLength(bool compact, bool int16)
    {
        if (compact)
        {
            WriteUnsignedVarint(0);
        }
        else if (int16)
        {
            WriteInt16(-1);
        }
        else
        {
            WriteInt32(-1);
        }
    }

    private void Advance(int count)
    {
        _output.Advance(count);
        _bytesWritten += count;
    }
}
