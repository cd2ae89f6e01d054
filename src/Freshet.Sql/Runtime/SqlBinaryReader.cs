using System.Buffers.Binary;
using System.Runtime.Serialization;
using System.Text;

namespace Freshet.Sql.Runtime;

/// <summary>
/// Reads what <see cref="SqlBinaryWriter"/> wrote, from the front of a byte span. Bytes that end too early or do not
/// form a value throw <see cref="SerializationException"/>. A ref struct over one input; not thread-safe.
/// </summary>
internal ref struct SqlBinaryReader(ReadOnlySpan<byte> input)
{
    private readonly ReadOnlySpan<byte> _input = input;
    private int _position;

    public readonly bool AtEnd => _position == _input.Length;

    public byte ReadByte()
    {
        if (_position >= _input.Length)
        {
            throw Truncated();
        }

        return _input[_position++];
    }

    public ulong ReadVarULong()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new SerializationException("Cannot deserialize a SQL value: a varint is longer than 10 bytes.");
    }

    public long ReadVarLong()
    {
        var raw = ReadVarULong();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public int ReadVarInt() => checked((int)ReadVarLong());

    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public decimal ReadDecimal()
    {
        Span<int> bits = [(int)checked((uint)ReadVarULong()), (int)checked((uint)ReadVarULong()), (int)checked((uint)ReadVarULong()), (int)checked((uint)ReadVarULong())];
        try
        {
            return new decimal(bits);
        }
        catch (ArgumentException e)
        {
            throw new SerializationException("Cannot deserialize a DECIMAL: invalid bits.", e);
        }
    }

    public byte[] ReadBytes() => Take(Length()).ToArray();

    public string ReadString()
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(Take(Length()));
        }
        catch (DecoderFallbackException e)
        {
            throw new SerializationException("Cannot deserialize a STRING: invalid UTF-8.", e);
        }
    }

    public int Length()
    {
        var length = ReadVarULong();
        return length > (ulong)(_input.Length - _position) ? throw Truncated() : (int)length;
    }

    /// <summary>A count of values that follow, each taking at least one bit, so more than 8 per remaining byte is corrupt.</summary>
    public int Count()
    {
        var count = ReadVarULong();
        return count > (ulong)(_input.Length - _position) * 8 ? throw Truncated() : (int)count;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _input.Length - _position)
        {
            throw Truncated();
        }

        var slice = _input.Slice(_position, count);
        _position += count;
        return slice;
    }

    private static SerializationException Truncated() => new("Cannot deserialize a SQL value: the bytes end too early.");
}
