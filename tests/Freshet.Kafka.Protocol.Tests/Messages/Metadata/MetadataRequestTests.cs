using CsCheck;
using Freshet.Kafka.Protocol.Framing;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages.Metadata;

public class MetadataRequestTests
{
    private MessageContract<MetadataRequest> Contract => new(Generate);

    [Fact]
    public void WriteThenRead_EveryVersion_ReturnsEqualMessage() => Contract.WriteThenRead_EveryVersion_ReturnsEqualMessage();

    [Fact]
    public void Read_EveryTruncation_ThrowsProtocolException() => Contract.Read_EveryTruncation_ThrowsProtocolException();

    [Fact]
    public void Read_RandomMutations_ThrowOnlyProtocolException() => Contract.Read_RandomMutations_ThrowOnlyProtocolException();

    [Fact]
    public void ReadAndWrite_VersionOutsideRange_Throw() => Contract.ReadAndWrite_VersionOutsideRange_Throw();

    private static Gen<MetadataRequestTopic> Topic(short version) =>
        Gen.Select(
            Gens.Since(version, 10, Gen.Guid, Guid.Empty),
            version >= 10 ? Gens.NullableString : Gens.String.Select(s => (string?)s),
            (id, name) => new MetadataRequestTopic { TopicId = id, Name = name });

    private Gen<MetadataRequest> Generate(short version) =>
        Gen.Select(
            version >= 1 ? Gens.ArrayOf(Topic(version)).Null(0.2) : Gens.ArrayOf(Topic(version)).Select(topics => (MetadataRequestTopic[]?)topics),
            Gens.Since(version, 4, Gen.Bool, true),
            version is >= 8 and <= 10 ? Gen.Bool : Gen.Const(false),
            Gens.Since(version, 8, Gen.Bool, false),
            (topics, auto, cluster, topic) => new MetadataRequest
            {
                Topics = topics,
                AllowAutoTopicCreation = auto,
                IncludeClusterAuthorizedOperations = cluster,
                IncludeTopicAuthorizedOperations = topic,
            });

    [Fact]
    public void Read_V12AsLibrdkafkaSendsIt_DecodesTopicsAndFlags()
    {
        byte[] topicId = [0x6E, 0x1C, 0x39, 0x5B, 0xF1, 0x1A, 0x4C, 0x0E, 0x9D, 0x2C, 0x74, 0x2B, 0x5A, 0x01, 0x8D, 0x11];
        byte[] payload =
        [
            0x00, 0x03, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x02,  // Metadata v12, correlation 2
            0xFF, 0xFF,                                      // client id null
            0x00,                                            // header tags
            0x03,                                            // compact array: 2 topics
            .. new byte[16], 0x07, .. "orders"u8, 0x00,      // by name: zero id, "orders", no tags
            .. topicId, 0x00, 0x00,                          // by id: null name, no tags
            0x01,                                            // allow auto topic creation
            0x00,                                            // include topic authorized operations
            0x00,                                            // body tags
        ];

        var reader = new KafkaReader(payload);
        var header = RequestHeader.Read(ref reader);
        Assert.Equal(ApiKeys.Metadata, header.ApiKey);
        Assert.Null(header.ClientId);
        var request = MetadataRequest.Read(ref reader, header.ApiVersion);
        Assert.True(reader.IsAtEnd);

        Assert.NotNull(request.Topics);
        Assert.Equal(2, request.Topics.Count);
        Assert.Equal("orders", request.Topics[0].Name);
        Assert.Equal(Guid.Empty, request.Topics[0].TopicId);
        Assert.Null(request.Topics[1].Name);
        Assert.Equal(Guid.Parse("6e1c395b-f11a-4c0e-9d2c-742b5a018d11"), request.Topics[1].TopicId);
        Assert.True(request.AllowAutoTopicCreation);
        Assert.False(request.IncludeTopicAuthorizedOperations);
    }

    [Fact]
    public void Read_V1NullTopics_MeansAllTopicsAndAutoCreationDefaultsTrue()
    {
        var request = Codec.Decode<MetadataRequest>(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, 1);
        Assert.Null(request.Topics);
        Assert.True(request.AllowAutoTopicCreation);
    }

    [Fact]
    public void Write_V9NullTopicName_Throws() =>
        Assert.Throws<KafkaProtocolException>(() => Codec.Encode(new MetadataRequest { Topics = [new MetadataRequestTopic { Name = null }] }, 9));
}
