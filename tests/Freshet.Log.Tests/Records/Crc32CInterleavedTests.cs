using Freshet.Log.Records;

namespace Freshet.Log.Tests.Records;

/// <summary>
/// Crc32C runs three interleaved chains over large inputs and combines them; these tests compare it
/// with a bit-at-a-time reference around every block boundary, at unaligned starts and in chunks.
/// </summary>
public class Crc32CInterleavedTests
{
    public static TheoryData<int> Lengths() =>
    [
        0, 1, 7, 8, 9, 255, 767, 768, 769, 775, 776, 1536, 2304, 12287, 12288, 12289, 12295, 13056,
        24576, 24577, 65515, 65536, 100_003, 1_048_576,
    ];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Compute_AnyLength_MatchesBitwiseReference(int length)
    {
        var data = RandomBytes(length + 1, seed: length);
        Assert.Equal(Reference(data.AsSpan(0, length)), Crc32C.Compute(data.AsSpan(0, length)));

        // Unaligned start: the interleaved reads are unaligned 8-byte loads.
        Assert.Equal(Reference(data.AsSpan(1, length)), Crc32C.Compute(data.AsSpan(1, length)));
    }

    [Fact]
    public void Append_ChunksAcrossBlockBoundaries_EqualsComputeOverWhole()
    {
        var data = RandomBytes(200_000, seed: 7);
        var random = new Random(11);
        var crc = 0xFFFFFFFFu;
        var at = 0;
        while (at < data.Length)
        {
            var chunk = Math.Min(data.Length - at, random.Next(1, 30_000));
            crc = Crc32C.Append(crc, data.AsSpan(at, chunk));
            at += chunk;
        }

        Assert.Equal(Reference(data), ~crc);
        Assert.Equal(Reference(data), Crc32C.Compute(data));
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static uint Reference(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
            }
        }

        return ~crc;
    }
}
