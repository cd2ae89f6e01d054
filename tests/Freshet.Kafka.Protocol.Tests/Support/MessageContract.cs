using CsCheck;

namespace Freshet.Kafka.Protocol.Tests.Support;

/// <summary>
/// The contract every message codec meets, run for every version in its supported range: write then
/// read gives an equal value (fields absent at a version hold their defaults), re-encoding gives the
/// same bytes, every truncation throws <see cref="KafkaProtocolException"/>, random damage throws nothing
/// else, and versions outside the range are refused. Each message's test class holds one and exposes
/// its four checks as facts (the message classes are internal, so a public test class cannot derive
/// from a base generic over them).
/// </summary>
/// <param name="generate">Values of <typeparamref name="T"/> with only the fields that exist at the given version set.</param>
internal sealed class MessageContract<T>(Func<short, Gen<T>> generate)
    where T : IKafkaMessage<T>
{
    private Gen<T> Generate(short version) => generate(version);

    public void WriteThenRead_EveryVersion_ReturnsEqualMessage()
    {
        for (short version = T.LowestSupportedVersion; version <= T.HighestSupportedVersion; version++)
        {
            short v = version;
            Generate(v).Sample(message => Codec.AssertRoundTrip(message, v), iter: 150);
        }
    }

    public void Read_EveryTruncation_ThrowsProtocolException()
    {
        for (short version = T.LowestSupportedVersion; version <= T.HighestSupportedVersion; version++)
        {
            short v = version;
            Generate(v).Sample(message => Codec.AssertEveryTruncationThrows<T>(Codec.Encode(message, v), v), iter: 15);
        }
    }

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
