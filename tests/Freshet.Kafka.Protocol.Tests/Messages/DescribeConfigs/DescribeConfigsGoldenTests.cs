using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.DescribeConfigs;

/// <summary>DescribeConfigs bodies built byte by byte from Kafka's message definition, including the nullable string array of configuration keys.</summary>
public class DescribeConfigsGoldenTests
{
    [Fact]
    public void WriteRequest_V1AllKeys_EncodesNullArrayAsMinusOne()
    {
        var request = new DescribeConfigsRequest
        {
            Resources = [new DescribeConfigsResource { ResourceType = 2, ResourceName = "t", ConfigurationKeys = null }],
            IncludeSynonyms = true,
        };
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x01,
            0x02,
            0x00, 0x01, (byte)'t',
            0xFF, 0xFF, 0xFF, 0xFF,
            0x01,
        ];

        Assert.Equal(expected, Codec.Encode(request, 1));
        Assert.Null(Codec.Decode<DescribeConfigsRequest>(expected, 1).Resources[0].ConfigurationKeys);
    }

    [Fact]
    public void WriteRequest_V4NamedKeys_UsesCompactEncodings()
    {
        var request = new DescribeConfigsRequest
        {
            Resources = [new DescribeConfigsResource { ResourceType = 4, ResourceName = "0", ConfigurationKeys = ["a"] }],
            IncludeSynonyms = false,
            IncludeDocumentation = true,
        };
        byte[] expected =
        [
            0x02,
            0x04,
            0x02, (byte)'0',
            0x02, 0x02, (byte)'a',
            0x00,
            0x00,
            0x01,
            0x00,
        ];

        Assert.Equal(expected, Codec.Encode(request, 4));
    }

    [Fact]
    public void WriteResponse_V0_CarriesIsDefaultAndNoSource()
    {
        var response = new DescribeConfigsResponse
        {
            Results =
            [
                new DescribeConfigsResult
                {
                    ErrorMessage = null,
                    ResourceType = 2,
                    ResourceName = "t",
                    Configs = [new DescribeConfigsResourceResult { Name = "k", Value = "v", IsDefault = true, ConfigSource = 5 }],
                },
            ],
        };
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x01,
            0x00, 0x00,
            0xFF, 0xFF,
            0x02,
            0x00, 0x01, (byte)'t',
            0x00, 0x00, 0x00, 0x01,
            0x00, 0x01, (byte)'k',
            0x00, 0x01, (byte)'v',
            0x00,
            0x01,
            0x00,
        ];

        Assert.Equal(expected, Codec.Encode(response, 0));
    }
}
