using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.Acls;

/// <summary>ACL API bodies built byte by byte from the protocol's documented layouts, and the advertised ranges.</summary>
public class AclLayoutGoldenTests
{
    [Fact]
    public void CreateAclsRequest_V1_MatchesSpecBytes()
    {
        // Creations: 1 × (ResourceType 2 topic | ResourceName "t" | PatternType 4 prefixed | Principal "User:a" | Host "*" | Operation 3 read | Permission 3 allow)
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x01,
            0x02,
            0x00, 0x01, (byte)'t',
            0x04,
            0x00, 0x06, (byte)'U', (byte)'s', (byte)'e', (byte)'r', (byte)':', (byte)'a',
            0x00, 0x01, (byte)'*',
            0x03,
            0x03,
        ];
        var request = new CreateAclsRequest
        {
            Creations = [new AclCreation { ResourceType = 2, ResourceName = "t", ResourcePatternType = 4, Principal = "User:a", Host = "*", Operation = 3, PermissionType = 3 }],
        };

        Assert.Equal(expected, Codec.Encode(request, 1));
        Assert.Equal(4, Codec.Decode<CreateAclsRequest>(expected, 1).Creations[0].ResourcePatternType);
    }

    [Fact]
    public void DescribeAclsRequest_V2Flexible_MatchesSpecBytes()
    {
        // ResourceTypeFilter 1 any | ResourceNameFilter null | PatternTypeFilter 1 any | Principal null | Host null | Operation 1 | Permission 1 | tags
        byte[] expected = [0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x01, 0x00];
        var request = new DescribeAclsRequest { ResourceTypeFilter = 1, PatternTypeFilter = 1, Operation = 1, PermissionType = 1 };

        Assert.Equal(expected, Codec.Encode(request, 2));
        Assert.Null(Codec.Decode<DescribeAclsRequest>(expected, 2).ResourceNameFilter);
    }

    [Fact]
    public void TryGetRange_AclApis_MatchBothCodecRanges()
    {
        AssertAdvertised<DescribeAclsRequest, DescribeAclsResponse>();
        AssertAdvertised<CreateAclsRequest, CreateAclsResponse>();
        AssertAdvertised<DeleteAclsRequest, DeleteAclsResponse>();
    }

    [Theory]
    [InlineData(ApiKeys.DescribeAcls)]
    [InlineData(ApiKeys.CreateAcls)]
    [InlineData(ApiKeys.DeleteAcls)]
    public void RequestHeaderVersion_AclApis_FlexibleFromV2(ApiKeys apiKey)
    {
        Assert.Equal(1, FlexibleVersions.RequestHeaderVersion(apiKey, 1));
        Assert.Equal(2, FlexibleVersions.RequestHeaderVersion(apiKey, 2));
        Assert.Equal(1, FlexibleVersions.ResponseHeaderVersion(apiKey, 3));
    }

    private static void AssertAdvertised<TRequest, TResponse>()
        where TRequest : IKafkaMessage<TRequest>
        where TResponse : IKafkaMessage<TResponse>
    {
        Assert.True(SupportedApis.TryGetRange(TRequest.ApiKey, out var range));
        Assert.Equal(new ApiVersionRange(TRequest.ApiKey, 0, 3), range);
        Assert.Equal(TRequest.HighestSupportedVersion, TResponse.HighestSupportedVersion);
        Assert.Equal(range.MaxVersion, TRequest.HighestSupportedVersion);
    }
}
