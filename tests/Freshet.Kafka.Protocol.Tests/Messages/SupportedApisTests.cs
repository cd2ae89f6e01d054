using CsCheck;
using Freshet.Kafka.Protocol.Framing;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Kafka.Protocol.Tests.Support;

namespace Freshet.Kafka.Protocol.Tests.Messages;

public class SupportedApisTests
{
    private static void AssertSameRange<TRequest, TResponse>()
        where TRequest : IKafkaMessage<TRequest>
        where TResponse : IKafkaMessage<TResponse>
    {
        Assert.Equal(TRequest.ApiKey, TResponse.ApiKey);
        Assert.True(SupportedApis.TryGetRange(TRequest.ApiKey, out var range));
        Assert.Equal(range.MinVersion, TRequest.LowestSupportedVersion);
        Assert.Equal(range.MaxVersion, TRequest.HighestSupportedVersion);
        Assert.Equal(range.MinVersion, TResponse.LowestSupportedVersion);
        Assert.Equal(range.MaxVersion, TResponse.HighestSupportedVersion);
    }

    [Fact]
    public void All_EveryAdvertisedRange_MatchesItsMessageCodecs()
    {
        AssertSameRange<ApiVersionsRequest, ApiVersionsResponse>();
        AssertSameRange<MetadataRequest, MetadataResponse>();
        AssertSameRange<ProduceRequest, ProduceResponse>();
        AssertSameRange<FetchRequest, FetchResponse>();
        AssertSameRange<ListOffsetsRequest, ListOffsetsResponse>();
        AssertSameRange<FindCoordinatorRequest, FindCoordinatorResponse>();
        AssertSameRange<InitProducerIdRequest, InitProducerIdResponse>();
        Assert.Equal(7, SupportedApis.All.Count);
    }

    [Fact]
    public void All_NeverAdvertisesSaslOrInterBrokerApis()
    {
        Assert.False(SupportedApis.TryGetRange(ApiKeys.SaslHandshake, out _));
        Assert.False(SupportedApis.TryGetRange(ApiKeys.SaslAuthenticate, out _));
        Assert.False(SupportedApis.TryGetRange(ApiKeys.WriteTxnMarkers, out _));
        Assert.True(SupportedApis.IsSupported(ApiKeys.Fetch, 12));
        Assert.False(SupportedApis.IsSupported(ApiKeys.Fetch, 13));
    }

    // What the broker will do with a frame: header, then the body its key and version name.
    private static void DecodeRequestFrame(ReadOnlyMemory<byte> payload)
    {
        var reader = new KafkaReader(payload);
        var header = RequestHeader.Read(ref reader);
        if (!SupportedApis.IsSupported(header.ApiKey, header.ApiVersion))
        {
            return;
        }

        short v = header.ApiVersion;
        _ = header.ApiKey switch
        {
            ApiKeys.ApiVersions => (object)ApiVersionsRequest.Read(ref reader, v),
            ApiKeys.Metadata => MetadataRequest.Read(ref reader, v),
            ApiKeys.Produce => ProduceRequest.Read(ref reader, v),
            ApiKeys.Fetch => FetchRequest.Read(ref reader, v),
            ApiKeys.ListOffsets => ListOffsetsRequest.Read(ref reader, v),
            ApiKeys.FindCoordinator => FindCoordinatorRequest.Read(ref reader, v),
            ApiKeys.InitProducerId => InitProducerIdRequest.Read(ref reader, v),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    private static byte[] Frame<T>(T body, short version, string? clientId)
        where T : IKafkaMessage<T>
    {
        using var buffer = new PooledBufferWriter();
        KafkaFrame.WriteRequest(buffer, new RequestHeader { ApiKey = T.ApiKey, ApiVersion = version, CorrelationId = 3, ClientId = clientId }, body);
        Assert.True(new FrameDecoder(1 << 20).TryReadFrame(buffer.WrittenMemory, out var payload, out _));
        return payload.ToArray();
    }

    [Fact]
    public void DecodeRequestFrame_MutatedFramesOfEveryApi_ThrowOnlyProtocolException()
    {
        byte[][] frames =
        [
            Frame(new ApiVersionsRequest { ClientSoftwareName = "librdkafka", ClientSoftwareVersion = "2.3.0" }, 3, "rdkafka"),
            Frame(new MetadataRequest { Topics = [new MetadataRequestTopic { Name = "orders" }] }, 12, "rdkafka"),
            Frame(new MetadataRequest { Topics = null }, 4, null),
            Frame(new ProduceRequest { Acks = -1, TimeoutMs = 30000, TopicData = [new TopicProduceData { Name = "t", PartitionData = [new PartitionProduceData { Records = new byte[80] }] }] }, 9, "p"),
            Frame(new ProduceRequest { Acks = 1, TopicData = [new TopicProduceData { Name = "t", PartitionData = [new PartitionProduceData { Records = new byte[80] }] }] }, 7, "p"),
            Frame(new FetchRequest { Topics = [new FetchTopic { Topic = "t", Partitions = [new FetchPartition { FetchOffset = 5 }] }], ClusterId = "c" }, 12, "c"),
            Frame(new FetchRequest { Topics = [new FetchTopic { Topic = "t", Partitions = [new FetchPartition()] }] }, 4, "c"),
            Frame(new ListOffsetsRequest { Topics = [new ListOffsetsTopic { Name = "t", Partitions = [new ListOffsetsPartition { Timestamp = -2 }] }] }, 7, "c"),
            Frame(new FindCoordinatorRequest { Key = "group" }, 2, "c"),
            Frame(new InitProducerIdRequest { TransactionTimeoutMs = 60000 }, 4, "c"),
        ];

        foreach (var frame in frames)
        {
            DecodeRequestFrame(frame);
            Mutations.Of(frame).Sample(bytes =>
            {
                try
                {
                    DecodeRequestFrame(bytes);
                }
                catch (KafkaProtocolException)
                {
                }
            }, iter: 3000);
        }
    }
}
