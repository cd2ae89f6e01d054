using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Freshet.Sql.Runtime;

/// <summary>
/// Appends the compact binary form of SQL values to an <see cref="IBufferWriter{T}"/>: integers as zig-zag varints,
/// floating point as little-endian IEEE 754, strings and byte strings as a varint length and their bytes (UTF-8 for
/// strings). Read back by <see cref="SqlBinaryReader"/>. A mutable struct over one output; not thread-safe.
/// </summary>
internal readonly struct SqlBinaryWriter(IBufferWriter<byte> output)
{
    public void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public void WriteVarULong(ulong value)
    {
        var span = output.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        output.Advance(i);
    }

    public void WriteVarLong(long value) => WriteVarULong((ulong)((value << 1) ^ (value >> 63)));

    public void WriteSingle(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public void WriteDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        WriteVarULong((uint)bits[0]);
        WriteVarULong((uint)bits[1]);
        WriteVarULong((uint)bits[2]);
        WriteVarULong((uint)bits[3]);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteVarULong((ulong)bytes.Length);
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarULong((ulong)length);
        var written = Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(written);
    }
}
