using CsCheck;
using Freshet.Log.Records;

namespace Freshet.Log.Tests.Records;

public class VarintTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(-1, new byte[] { 0x01 })]
    [InlineData(1, new byte[] { 0x02 })]
    [InlineData(63, new byte[] { 0x7E })]
    [InlineData(-64, new byte[] { 0x7F })]
    [InlineData(64, new byte[] { 0x80, 0x01 })]
    [InlineData(int.MaxValue, new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData(int.MinValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void WriteVarint_KnownValue_MatchesKafkaEncoding(int value, byte[] expected)
    {
        var buffer = new byte[Varint.MaxVarintBytes];
        var written = Varint.WriteVarint(buffer, value);
        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(expected.Length, Varint.SizeOfVarint(value));
        Assert.True(Varint.TryReadVarint(expected, out var read, out var bytesRead));
        Assert.Equal(value, read);
        Assert.Equal(expected.Length, bytesRead);
    }

    [Theory]
    [InlineData(0L, new byte[] { 0x00 })]
    [InlineData(-1L, new byte[] { 0x01 })]
    [InlineData(1L, new byte[] { 0x02 })]
    [InlineData(63L, new byte[] { 0x7E })]
    [InlineData(-64L, new byte[] { 0x7F })]
    [InlineData(64L, new byte[] { 0x80, 0x01 })]
    [InlineData(long.MinValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void WriteVarlong_KnownValue_MatchesKafkaEncoding(long value, byte[] expected)
    {
        var buffer = new byte[Varint.MaxVarlongBytes];
        var written = Varint.WriteVarlong(buffer, value);
        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(expected.Length, Varint.SizeOfVarlong(value));
        Assert.True(Varint.TryReadVarlong(expected, out var read, out _));
        Assert.Equal(value, read);
    }

    [Fact]
    public void Varint_AnyInt_RoundTripsWithPredictedSize() =>
        Gen.Int.Sample(value =>
        {
            var buffer = new byte[Varint.MaxVarintBytes + 1];
            var written = Varint.WriteVarint(buffer, value);
            Assert.Equal(Varint.SizeOfVarint(value), written);
            Assert.True(Varint.TryReadVarint(buffer, out var read, out var bytesRead));
            Assert.Equal(value, read);
            Assert.Equal(written, bytesRead);
        }, iter: 10_000);

    [Fact]
    public void Varlong_AnyLong_RoundTripsWithPredictedSize() =>
        Gen.Long.Sample(value =>
        {
            var buffer = new byte[Varint.MaxVarlongBytes + 1];
            var written = Varint.WriteVarlong(buffer, value);
            Assert.Equal(Varint.SizeOfVarlong(value), written);
            Assert.True(Varint.TryReadVarlong(buffer, out var read, out var bytesRead));
            Assert.Equal(value, read);
            Assert.Equal(written, bytesRead);
        }, iter: 10_000);

    [Fact]
    public void TryReadVarint_Truncated_ReturnsFalse() => Assert.False(Varint.TryReadVarint([0x80, 0x80], out _, out _));

    [Fact]
    public void TryReadVarint_SixBytes_ReturnsFalse() => Assert.False(Varint.TryReadVarint([0x80, 0x80, 0x80, 0x80, 0x80, 0x01], out _, out _));

    [Fact]
    public void TryReadVarlong_ElevenBytes_ReturnsFalse() =>
        Assert.False(Varint.TryReadVarlong([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], out _, out _));

    [Fact]
    public void TryReadVarint_Empty_ReturnsFalse() => Assert.False(Varint.TryReadVarint([], out _, out _));
}
