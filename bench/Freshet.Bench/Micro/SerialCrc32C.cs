using System.Buffers.Binary;
using System.Numerics;

namespace Freshet.Bench.Micro;

/// <summary>
/// The straightforward CRC-32C (one hardware CRC32 instruction per 8 bytes, one dependency chain):
/// the reference <see cref="Freshet.Log.Records.Crc32C"/> is measured against.
/// </summary>
internal static class SerialCrc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
