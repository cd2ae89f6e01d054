using System.Text;
using Freshet.Log.Records;

namespace Freshet.Log.Tests.Records;

public class Crc32CTests
{
    [Fact]
    public void Compute_CheckString_MatchesCastagnoliCheckValue() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void Compute_Empty_IsZero() => Assert.Equal(0u, Crc32C.Compute([]));

    // RFC 3720 (iSCSI) appendix B.4 test vectors.
    [Fact]
    public void Compute_ThirtyTwoZeros_MatchesRfc3720() => Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));

    [Fact]
    public void Compute_ThirtyTwoOnes_MatchesRfc3720() =>
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));

    [Fact]
    public void Compute_IncreasingBytes_MatchesRfc3720() =>
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));

    [Fact]
    public void Append_InChunks_EqualsComputeOverWhole()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 31)).ToArray();
        var crc = 0xFFFFFFFFu;
        foreach (var chunk in data.Chunk(13))
        {
            crc = Crc32C.Append(crc, chunk);
        }

        Assert.Equal(Crc32C.Compute(data), ~crc);
    }
}
