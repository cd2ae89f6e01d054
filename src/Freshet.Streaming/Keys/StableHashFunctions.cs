using System.Buffers.Binary;
using System.Numerics;

namespace Freshet.Streaming.Keys;

/// <summary>
/// The hash functions behind <see cref="KeyHash{TKey}"/>: each is a pure function of a value, written out here so
/// that it does not depend on the runtime's <c>GetHashCode</c> (randomised for strings, tuples and records) nor on
/// the machine's byte order.
/// <para>
/// Scalars keep the hash they had before composite keys were supported, because checkpoints place state by it:
/// integers, <see cref="bool"/>, <see cref="char"/>, floating point, <see cref="decimal"/>, <see cref="DateTime"/>,
/// <see cref="DateTimeOffset"/>, <see cref="TimeSpan"/> and <see cref="DateOnly"/> hash as the .NET runtime's
/// <c>GetHashCode</c> of the value (itself Java's <c>hashCode</c> for integers: a <see cref="long"/> hashes as
/// <c>(int)(v ^ (v &gt;&gt;&gt; 32))</c>); strings as Java's <c>String.hashCode</c>; a <see cref="Guid"/> as the
/// XOR of the four little-endian 32-bit words of its .NET byte layout. Equal values hash equally under .NET's
/// equality: 0.0 and -0.0, every NaN, and 1.0m and 1.00m each share one hash.
/// </para>
/// <para>
/// Byte arrays and composites use MurmurHash3 (x86, 32-bit) with seed 0: a byte array is the murmur hash of its
/// contents; a composite of n members is the murmur hash of the n members' hashes written as little-endian 32-bit
/// words, in member order (<see cref="Mix"/> per member, then <see cref="Finish"/>). Pure; thread-safe.
/// </para>
/// </summary>
internal static class StableHashFunctions
{
    /// <summary>The murmur seed of byte arrays and composites. Changing it moves every such key to another key group.</summary>
    public const uint Seed = 0;

    private const uint C1 = 0xcc9e2d51;
    private const uint C2 = 0x1b873593;

    /// <summary>The value (Java's <c>Integer.hashCode</c>).</summary>
    public static int OfInt32(int value) => value;

    /// <summary>The bits of <paramref name="value"/>.</summary>
    public static int OfUInt32(uint value) => (int)value;

    /// <summary>The value, sign-extended.</summary>
    public static int OfInt16(short value) => value;

    /// <summary>The value.</summary>
    public static int OfUInt16(ushort value) => value;

    /// <summary>The value, sign-extended.</summary>
    public static int OfSByte(sbyte value) => value;

    /// <summary>The value.</summary>
    public static int OfByte(byte value) => value;

    /// <summary>As <see cref="OfInt64"/> whatever the machine's pointer width, so that 32- and 64-bit processes agree.</summary>
    public static int OfIntPtr(nint value) => OfInt64(value);

    /// <summary>As <see cref="OfUInt64"/> whatever the machine's pointer width.</summary>
    public static int OfUIntPtr(nuint value) => OfUInt64(value);

    /// <summary>Java's <c>Long.hashCode</c>.</summary>
    public static int OfInt64(long value) => (int)(value ^ (value >>> 32));

    /// <summary>The bits of <paramref name="value"/> as <see cref="OfInt64"/>.</summary>
    public static int OfUInt64(ulong value) => (int)(value ^ (value >> 32));

    /// <summary>Java's <c>String.hashCode</c> over UTF-16 code units (what Flink uses); null hashes as 0.</summary>
    public static int OfString(string? value)
    {
        if (value is null)
        {
            return 0;
        }

        var h = 0;
        foreach (var c in value)
        {
            h = unchecked((31 * h) + c);
        }

        return h;
    }

    /// <summary>XOR of the four 32-bit words of the GUID's .NET byte layout, read little-endian.</summary>
    public static int OfGuid(Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: false, out _);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes)
            ^ BinaryPrimitives.ReadInt32LittleEndian(bytes[4..])
            ^ BinaryPrimitives.ReadInt32LittleEndian(bytes[8..])
            ^ BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
    }

    /// <summary>1 for true, 0 for false.</summary>
    public static int OfBoolean(bool value) => value ? 1 : 0;

    /// <summary>The code unit in both halves, as .NET's <see cref="char.GetHashCode()"/>.</summary>
    public static int OfChar(char value) => value | (value << 16);

    /// <summary>The IEEE 754 bits, with every NaN and both zeros folded to one value each (they are equal in .NET).</summary>
    public static int OfSingle(float value)
    {
        var bits = BitConverter.SingleToInt32Bits(value);
        if (float.IsNaN(value) || value == 0)
        {
            bits &= 0x7F800000;
        }

        return bits;
    }

    /// <summary>The IEEE 754 bits folded as <see cref="OfInt64"/>, with every NaN and both zeros folded to one value each.</summary>
    public static int OfDouble(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        if (double.IsNaN(value) || value == 0)
        {
            bits &= 0x7FF0000000000000;
        }

        return OfInt64(bits);
    }

    /// <summary>As <see cref="OfSingle"/> of the same value (every <see cref="Half"/> is exactly a <see cref="float"/>).</summary>
    public static int OfHalf(Half value) => OfSingle((float)value);

    /// <summary>
    /// The XOR of the sign-and-scale word and the three 32-bit words of the coefficient, after trailing decimal zeros
    /// are removed from the coefficient (lowering the scale), so that 1.0m and 1.00m hash equally; zero hashes as 0.
    /// </summary>
    public static int OfDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        uint low = (uint)bits[0], mid = (uint)bits[1], high = (uint)bits[2], flags = (uint)bits[3];
        if ((low | mid | high) == 0)
        {
            return 0;
        }

        var scale = (int)((flags >> 16) & 0xFF);
        if (scale == 0 || (low & 1) != 0)
        {
            return (int)(flags ^ high ^ mid ^ low);
        }

        var coefficient = ((UInt128)high << 64) | ((UInt128)mid << 32) | low;
        while (scale > 0 && coefficient % 10 == 0)
        {
            coefficient /= 10;
            scale--;
        }

        flags = (flags & ~0x00FF0000u) | ((uint)scale << 16);
        return (int)(flags ^ (uint)(coefficient >> 64) ^ (uint)(coefficient >> 32) ^ (uint)coefficient);
    }

    /// <summary>The XOR of the four 32-bit words: a value that fits in a <see cref="long"/> hashes as that long.</summary>
    public static int OfInt128(Int128 value) => OfUInt128((UInt128)value);

    /// <summary>The XOR of the four 32-bit words: a value that fits in a <see cref="ulong"/> hashes as that ulong.</summary>
    public static int OfUInt128(UInt128 value) => OfUInt64((ulong)value) ^ OfUInt64((ulong)(value >> 64));

    /// <summary>The ticks as <see cref="OfInt64"/> (the kind is not part of a <see cref="DateTime"/>'s equality).</summary>
    public static int OfDateTime(DateTime value) => OfInt64(value.Ticks);

    /// <summary>The UTC ticks as <see cref="OfInt64"/> (two offsets of one instant are equal).</summary>
    public static int OfDateTimeOffset(DateTimeOffset value) => OfInt64(value.UtcTicks);

    /// <summary>The ticks as <see cref="OfInt64"/>.</summary>
    public static int OfTimeSpan(TimeSpan value) => OfInt64(value.Ticks);

    /// <summary>The day number (days since 0001-01-01).</summary>
    public static int OfDateOnly(DateOnly value) => value.DayNumber;

    /// <summary>The ticks since midnight as <see cref="OfInt64"/>.</summary>
    public static int OfTimeOnly(TimeOnly value) => OfInt64(value.Ticks);

    /// <summary>MurmurHash3 (x86, 32-bit, seed <see cref="Seed"/>) of the contents; null hashes as 0.</summary>
    public static int OfBytes(byte[]? value)
    {
        if (value is null)
        {
            return 0;
        }

        var data = value.AsSpan();
        var h = Seed;
        var blocks = data.Length / 4;
        for (var i = 0; i < blocks; i++)
        {
            h = MixBlock(h, BinaryPrimitives.ReadUInt32LittleEndian(data[(i * 4)..]));
        }

        var tail = data[(blocks * 4)..];
        uint k = 0;
        switch (tail.Length)
        {
            case 3:
                k ^= (uint)tail[2] << 16;
                goto case 2;
            case 2:
                k ^= (uint)tail[1] << 8;
                goto case 1;
            case 1:
                k ^= tail[0];
                h ^= ScrambleBlock(k);
                break;
        }

        return (int)FinalMix(h ^ (uint)data.Length);
    }

    /// <summary>One member of a composite: the murmur block step over the member's hash; start from <see cref="Seed"/>.</summary>
    public static uint Mix(uint state, int memberHash) => MixBlock(state, (uint)memberHash);

    /// <summary>The hash of a composite of <paramref name="memberCount"/> members mixed into <paramref name="state"/>: murmur's length and finalizer.</summary>
    public static int Finish(uint state, int memberCount) => (int)FinalMix(state ^ (uint)(memberCount * 4));

    /// <summary>The hash a key type gives itself (<see cref="IStableHashable"/>); null hashes as 0.</summary>
    public static int OfStableHashable<T>(T value)
        where T : IStableHashable => value is null ? 0 : value.StableHashCode();

    private static uint ScrambleBlock(uint k)
    {
        unchecked
        {
            k *= C1;
            k = BitOperations.RotateLeft(k, 15);
            return k * C2;
        }
    }

    private static uint MixBlock(uint h, uint k)
    {
        unchecked
        {
            h ^= ScrambleBlock(k);
            h = BitOperations.RotateLeft(h, 13);
            return (h * 5) + 0xe6546b64;
        }
    }

    private static uint FinalMix(uint h)
    {
        unchecked
        {
            h ^= h >> 16;
            h *= 0x85ebca6b;
            h ^= h >> 13;
            h *= 0xc2b2ae35;
            h ^= h >> 16;
            return h;
        }
    }
}
