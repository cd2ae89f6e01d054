using CsCheck;
using Freshet.Kafka.Protocol.Framing;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.ApiVersions;

public class ApiVersionsRequestTests
{
    private MessageContract<ApiVersionsRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private Gen<ApiVersionsRequest> Generate(short version) =>
        Gen.Select(Gens.Since(version, 3, Gens.String, ""), Gens.Since(version, 3, Gens.String, ""), (name, softwareVersion) =>
            new ApiVersionsRequest { ClientSoftwareName = name, ClientSoftwareVersion = softwareVersion });

    [Fact]
    public void Read_V3FrameAsLibrdkafkaSendsIt_DecodesHeaderAndSoftware()
    {
        // size | key 18 | version 3 | correlation 1 | client id "rdkafka" (int16 length) | no header tags
        // | compact "librdkafka" | compact "v2.3.0" | no body tags
        byte[] frame =
        [
            0x00, 0x00, 0x00, 0x25,
            0x00, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,
            0x00, 0x07, .. "rdkafka"u8, 0x00,
            0x0B, .. "librdkafka"u8,
            0x07, .. "v2.3.0"u8,
            0x00,
        ];

        Assert.True(new FrameDecoder(1 << 20).TryReadFrame(frame, out var payload, out int consumed));
        Assert.Equal(frame.Length, consumed);
        var reader = new KafkaReader(payload);
        var header = RequestHeader.Read(ref reader);
        Assert.Equal(ApiKeys.ApiVersions, header.ApiKey);
        Assert.Equal(3, header.ApiVersion);
        Assert.Equal(1, header.CorrelationId);
        Assert.Equal("rdkafka", header.ClientId);

        var request = ApiVersionsRequest.Read(ref reader, header.ApiVersion);
        Assert.Equal("librdkafka", request.ClientSoftwareName);
        Assert.Equal("v2.3.0", request.ClientSoftwareVersion);
        Assert.True(reader.IsAtEnd);
    }

    [Fact]
    public void Read_V0EmptyBody_DecodesToDefaults()
    {
        var request = Codec.Decode<ApiVersionsRequest>(Array.Empty<byte>(), 0);
        Assert.Equal("", request.ClientSoftwareName);
    }
}
