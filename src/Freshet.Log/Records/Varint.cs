namespace Freshet.Log.Records;

/// <summary>
/// The zig-zag variable-length integers of Kafka's record format (the same encoding as protobuf's
/// <c>sint32</c>/<c>sint64</c>): 7 bits per byte, low bits first, high bit set on every byte but the last.
/// Pure functions; thread-safe.
/// </summary>
public static class Varint
{
    /// <summary>Largest encoded size of a 32-bit varint.</summary>
    public const int MaxVarintBytes = 5;

    /// <summary>Largest encoded size of a 64-bit varlong.</summary>
    public const int MaxVarlongBytes = 10;

    /// <summary>Reads a zig-zag 32-bit varint.</summary>
    /// <returns>False if the input ends early or the value is longer than 5 bytes.</returns>
    public static bool TryReadVarint(ReadOnlySpan<byte> source, out int value, out int bytesRead)
    {
        uint raw = 0;
        for (var i = 0; i < MaxVarintBytes && i < source.Length; i++)
        {
            uint b = source[i];
            raw |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                value = (int)(raw >> 1) ^ -(int)(raw & 1);
                bytesRead = i + 1;
                return true;
            }
        }

        value = 0;
        bytesRead = 0;
        return false;
    }

    /// <summary>Reads a zig-zag 64-bit varlong.</summary>
    /// <returns>False if the input ends early or the value is longer than 10 bytes.</returns>
    public static bool TryReadVarlong(ReadOnlySpan<byte> source, out long value, out int bytesRead)
    {
        ulong raw = 0;
        for (var i = 0; i < MaxVarlongBytes && i < source.Length; i++)
        {
            ulong b = source[i];
            raw |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                value = (long)(raw >> 1) ^ -(long)(raw & 1);
                bytesRead = i + 1;
                return true;
            }
        }

        value = 0;
        bytesRead = 0;
        return false;
    }

    /// <summary>Writes a zig-zag 32-bit varint; the destination must have room for <see cref="SizeOfVarint"/> bytes.</summary>
    /// <returns>The number of bytes written.</returns>
    public static int WriteVarint(Span<byte> destination, int value) => WriteUnsigned(destination, (uint)((value << 1) ^ (value >> 31)));

    /// <summary>Writes a zig-zag 64-bit varlong; the destination must have room for <see cref="SizeOfVarlong"/> bytes.</summary>
    /// <returns>The number of bytes written.</returns>
    public static int WriteVarlong(Span<byte> destination, long value)
    {
        var raw = (ulong)((value << 1) ^ (value >> 63));
        var i = 0;
        while (raw >= 0x80)
        {
            destination[i++] = (byte)(raw | 0x80);
            raw >>= 7;
        }

        destination[i++] = (byte)raw;
        return i;
    }

    /// <summary>Encoded size of a zig-zag 32-bit varint.</summary>
    public static int SizeOfVarint(int value) => SizeOfUnsigned((uint)((value << 1) ^ (value >> 31)));

    /// <summary>Encoded size of a zig-zag 64-bit varlong.</summary>
    public static int SizeOfVarlong(long value)
    {
        var raw = (ulong)((value << 1) ^ (value >> 63));
        var size = 1;
        while (raw >= 0x80)
        {
            raw >>= 7;
            size++;
        }

        return size;
    }

    private static int WriteUnsigned(Span<byte> destination, uint raw)
    {
        var i = 0;
        while (raw >= 0x80)
        {
            destination[i++] = (byte)(raw | 0x80);
            raw >>= 7;
        }

        destination[i++] = (byte)raw;
        return i;
    }

    private static int SizeOfUnsigned(uint raw)
    {
        var size = 1;
        while (raw >= 0x80)
        {
            raw >>= 7;
            size++;
        }

        return size;
    }
}
