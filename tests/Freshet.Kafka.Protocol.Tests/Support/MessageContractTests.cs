using CsCheck;

namespace Freshet.Kafka.Protocol.Tests.Support;

/// <summary>
/// The contract every message codec meets, run for every version in its supported range: write then
/// read gives an equal value (fields absent at a version hold their defaults), re-encoding gives the
/// same bytes, every truncation throws <see cref="KafkaProtocolException"/>, random damage throws nothing
/// else, and versions outside the range are refused.
/// </summary>
public abstract class MessageContractTests<T>
    where T : IKafkaMessage<T>
{
    /// <summary>Values of <typeparamref name="T"/> with only the fields that exist at <paramref name="version"/> set.</summary>
    protected abstract Gen<T> Generate(short version);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage()
    {
        for (short version = T.LowestSupportedVersion; version <= T.HighestSupportedVersion; version++)
        {
            short v = version;
            Generate(v).Sample(message => Codec.AssertRoundTrip(message, v), iter: 150);
        }
    }

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException()
    {
        for (short version = T.LowestSupportedVersion; version <= T.HighestSupportedVersion; version++)
        {
            short v = version;
            Generate(v).Sample(message => Codec.AssertEveryTruncationThrows<T>(Codec.Encode(message, v), v), iter: 15);
        }
    }

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException()
    {
        for (short version = T.LowestSupportedVersion; version <= T.HighestSupportedVersion; version++)
        {
            short v = version;
            Generate(v)
                .SelectMany(message => Mutations.Of(Codec.Encode(message, v)))
                .Sample(bytes => Codec.AssertDecodesOrThrowsProtocolException<T>(bytes, v), iter: 400);
        }
    }

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw()
    {
        foreach (short version in new[] { (short)(T.LowestSupportedVersion - 1), (short)(T.HighestSupportedVersion + 1) })
        {
            Assert.Throws<KafkaProtocolException>(() =>
            {
                var reader = new KafkaReader(new byte[64]);
                _ = T.Read(ref reader, version);
            });
            var valid = Generate(T.HighestSupportedVersion).Single();
            Assert.Throws<KafkaProtocolException>(() => Codec.Encode(valid, version));
        }
    }
}
