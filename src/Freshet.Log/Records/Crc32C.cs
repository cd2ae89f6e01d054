using System.Buffers.Binary;
using System.Numerics;

namespace Freshet.Log.Records;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of Kafka RecordBatch v2. Uses the CPU's CRC32 instruction
/// through <see cref="BitOperations.Crc32C(uint, ulong)"/> where the hardware has one. Thread-safe (pure).
/// </summary>
public static class Crc32C
{
    /// <summary>Computes the CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFFFFFFu, data);

    /// <summary>
    /// Continues a running CRC over <paramref name="data"/>. Start with <c>0xFFFFFFFF</c> and
    /// complement the final value (as <see cref="Compute"/> does).
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }
}
