using CsCheck;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.ApiVersions;

public class ApiVersionsResponseTests
{
    private MessageContract<ApiVersionsResponse> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private static readonly Gen<ApiVersionsResponseKey> Key = Gen.Select(Gen.Short, Gen.Short, Gen.Short, (k, min, max) =>
        new ApiVersionsResponseKey { ApiKey = k, MinVersion = min, MaxVersion = max });

    private static readonly Gen<SupportedFeatureKey> Supported = Gen.Select(Gens.String, Gen.Short, Gen.Short, (n, min, max) =>
        new SupportedFeatureKey { Name = n, MinVersion = min, MaxVersion = max });

    private static readonly Gen<FinalizedFeatureKey> Finalized = Gen.Select(Gens.String, Gen.Short, Gen.Short, (n, max, min) =>
        new FinalizedFeatureKey { Name = n, MaxVersionLevel = max, MinVersionLevel = min });

    private Gen<ApiVersionsResponse> Generate(short version) =>
        Gen.Select(
            Gen.Short,
            Gens.ArrayOf(Key),
            Gens.Since(version, 1, Gen.Int, 0),
            Gens.Since(version, 3, Gens.ArrayOf(Supported), []),
            Gens.Since(version, 3, Gen.Long, -1L),
            Gens.Since(version, 3, Gens.ArrayOf(Finalized), []),
            Gens.Since(version, 3, Gen.Bool, false),
            (error, keys, throttle, supported, epoch, finalized, zk) => new ApiVersionsResponse
            {
                ErrorCode = error,
                ApiKeys = keys,
                ThrottleTimeMs = throttle,
                SupportedFeatures = supported,
                FinalizedFeaturesEpoch = epoch,
                FinalizedFeatures = finalized,
                ZkMigrationReady = zk,
            });

    [Fact]
    public void Write_V0UnsupportedVersionAnswer_MatchesKafkaBytes()
    {
        var response = new ApiVersionsResponse
        {
            ErrorCode = 35,
            ApiKeys = [new ApiVersionsResponseKey { ApiKey = 18, MinVersion = 0, MaxVersion = 3 }],
        };
        Assert.Equal([0x00, 0x23, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12, 0x00, 0x00, 0x00, 0x03], Codec.Encode(response, 0));
    }

    [Fact]
    public void Write_V3_UsesCompactArrayAndTags()
    {
        var response = new ApiVersionsResponse
        {
            ApiKeys = [new ApiVersionsResponseKey { ApiKey = 0, MinVersion = 3, MaxVersion = 9 }],
            ThrottleTimeMs = 0,
            FinalizedFeaturesEpoch = 2,
        };
        byte[] expected =
        [
            0x00, 0x00,                                     // error
            0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x09, 0x00, // compact array of 1, element with empty tags
            0x00, 0x00, 0x00, 0x00,                         // throttle
            0x01, 0x01, 0x08, 0, 0, 0, 0, 0, 0, 0, 2,       // one tag: FinalizedFeaturesEpoch = 2
        ];
        Assert.Equal(expected, Codec.Encode(response, 3));
    }

    [Fact]
    public void Read_V3WithUnknownTag_SkipsIt()
    {
        byte[] bytes = [0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x63, 0x01, 0xFF, 0x03, 0x01, 0x01];
        var response = Codec.Decode<ApiVersionsResponse>(bytes, 3);
        Assert.Empty(response.ApiKeys);
        Assert.True(response.ZkMigrationReady);
    }
}
