using CsCheck;
using Freshet.Kafka.Protocol.Framing;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Framing;

public class HeaderTests
{
    [Theory]
    [InlineData(ApiKeys.ApiVersions, 2, 1, 0)]
    [InlineData(ApiKeys.ApiVersions, 3, 2, 0)]
    [InlineData(ApiKeys.ApiVersions, 4, 2, 0)]
    [InlineData(ApiKeys.Metadata, 8, 1, 0)]
    [InlineData(ApiKeys.Metadata, 9, 2, 1)]
    [InlineData(ApiKeys.Produce, 8, 1, 0)]
    [InlineData(ApiKeys.Produce, 9, 2, 1)]
    [InlineData(ApiKeys.Fetch, 11, 1, 0)]
    [InlineData(ApiKeys.Fetch, 12, 2, 1)]
    [InlineData(ApiKeys.ListOffsets, 6, 2, 1)]
    [InlineData(ApiKeys.FindCoordinator, 2, 1, 0)]
    [InlineData(ApiKeys.InitProducerId, 2, 2, 1)]
    [InlineData(ApiKeys.SaslHandshake, 1, 1, 0)]
    [InlineData((ApiKeys)999, 5, 1, 0)]
    public void HeaderVersions_ApiAndVersion_FollowFlexibility(ApiKeys key, short version, short request, short response)
    {
        Assert.Equal(request, FlexibleVersions.RequestHeaderVersion(key, version));
        Assert.Equal(response, FlexibleVersions.ResponseHeaderVersion(key, version));
    }

    [Fact]
    public void RequestHeaderRead_V2FromLibrdkafka_ClientIdIsClassicString()
    {
        byte[] bytes =
        [
            0x00, 0x03, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x07,
            0x00, 0x07, (byte)'r', (byte)'d', (byte)'k', (byte)'a', (byte)'f', (byte)'k', (byte)'a',
            0x00,
        ];
        var reader = new KafkaReader(bytes);
        var header = RequestHeader.Read(ref reader);
        Assert.Equal(ApiKeys.Metadata, header.ApiKey);
        Assert.Equal(12, header.ApiVersion);
        Assert.Equal(7, header.CorrelationId);
        Assert.Equal("rdkafka", header.ClientId);
        Assert.Equal(2, header.HeaderVersion);
        Assert.True(reader.IsAtEnd);
    }

    [Fact]
    public void RequestHeader_AnyValueEveryVersion_RoundTrips() =>
        Gen.Select(Gen.Short, Gen.Short, Gen.Int, Gens.NullableString, Gen.Short[0, 2]).Sample((key, apiVersion, correlation, clientId, version) =>
        {
            var header = new RequestHeader
            {
                ApiKey = (ApiKeys)key,
                ApiVersion = apiVersion,
                CorrelationId = correlation,
                ClientId = version >= 1 ? clientId : null,
            };
            Codec.AssertRoundTrip(header, version);
            Codec.AssertEveryTruncationThrows<RequestHeader>(Codec.Encode(header, version), version);
        });

    [Fact]
    public void ResponseHeader_BothVersions_RoundTripAndUnknownTagsSkipped()
    {
        Codec.AssertRoundTrip(new ResponseHeader { CorrelationId = 42 }, 0);
        Codec.AssertRoundTrip(new ResponseHeader { CorrelationId = -1 }, 1);
        var header = Codec.Decode<ResponseHeader>(new byte[] { 0, 0, 0, 9, 0x01, 0x09, 0x02, 0xAA, 0xBB }, 1);
        Assert.Equal(9, header.CorrelationId);
    }

    [Fact]
    public void WriteResponse_ApiVersions_UsesV0HeaderAndPatchesSize()
    {
        using var buffer = new PooledBufferWriter();
        var body = new ApiVersionsResponse { ApiKeys = [new ApiVersionsResponseKey { ApiKey = 18, MinVersion = 0, MaxVersion = 3 }] };
        KafkaFrame.WriteResponse(buffer, correlationId: 5, apiVersion: 3, body);

        Assert.True(new FrameDecoder(1 << 20).TryReadFrame(buffer.WrittenMemory, out var payload, out int consumed));
        Assert.Equal(buffer.WrittenCount, consumed);
        var reader = new KafkaReader(payload);
        Assert.Equal(5, ResponseHeader.Read(ref reader, 0).CorrelationId);
        var decoded = ApiVersionsResponse.Read(ref reader, 3);
        Assert.True(reader.IsAtEnd);
        Structural.AssertEqual(body, decoded, "body");
    }

    [Fact]
    public void WriteRequest_ThenDecode_GivesHeaderAndBody()
    {
        using var buffer = new PooledBufferWriter();
        var header = new RequestHeader { ApiKey = ApiKeys.ApiVersions, ApiVersion = 3, CorrelationId = 1, ClientId = "c" };
        var body = new ApiVersionsRequest { ClientSoftwareName = "n", ClientSoftwareVersion = "v" };
        KafkaFrame.WriteRequest(buffer, header, body);
        KafkaFrame.WriteRequest(buffer, header, body);

        var decoder = new FrameDecoder(1 << 20);
        var remaining = buffer.WrittenMemory;
        for (int i = 0; i < 2; i++)
        {
            Assert.True(decoder.TryReadFrame(remaining, out var payload, out int consumed));
            remaining = remaining[consumed..];
            var reader = new KafkaReader(payload);
            Structural.AssertEqual(header, RequestHeader.Read(ref reader), "header");
            Structural.AssertEqual(body, ApiVersionsRequest.Read(ref reader, 3), "body");
            Assert.True(reader.IsAtEnd);
        }

        Assert.True(remaining.IsEmpty);
    }
}
