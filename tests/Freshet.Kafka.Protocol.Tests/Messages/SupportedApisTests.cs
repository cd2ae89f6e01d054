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
        AssertSameRange<JoinGroupRequest, JoinGroupResponse>();
        AssertSameRange<SyncGroupRequest, SyncGroupResponse>();
        AssertSameRange<HeartbeatRequest, HeartbeatResponse>();
        AssertSameRange<LeaveGroupRequest, LeaveGroupResponse>();
        AssertSameRange<OffsetCommitRequest, OffsetCommitResponse>();
        AssertSameRange<OffsetFetchRequest, OffsetFetchResponse>();
        AssertSameRange<DescribeGroupsRequest, DescribeGroupsResponse>();
        AssertSameRange<ListGroupsRequest, ListGroupsResponse>();
        AssertSameRange<CreateTopicsRequest, CreateTopicsResponse>();
        AssertSameRange<DeleteTopicsRequest, DeleteTopicsResponse>();
        AssertSameRange<CreatePartitionsRequest, CreatePartitionsResponse>();
        AssertSameRange<DescribeConfigsRequest, DescribeConfigsResponse>();
        AssertSameRange<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>();
        AssertSameRange<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>();
        AssertSameRange<EndTxnRequest, EndTxnResponse>();
        AssertSameRange<TxnOffsetCommitRequest, TxnOffsetCommitResponse>();
        AssertSameRange<DescribeClusterRequest, DescribeClusterResponse>();
        AssertSameRange<DescribeProducersRequest, DescribeProducersResponse>();
        AssertSameRange<DescribeTransactionsRequest, DescribeTransactionsResponse>();
        AssertSameRange<ListTransactionsRequest, ListTransactionsResponse>();
        AssertSameRange<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse>();
        AssertSameRange<DeleteRecordsRequest, DeleteRecordsResponse>();
        AssertSameRange<DeleteGroupsRequest, DeleteGroupsResponse>();
        AssertSameRange<OffsetDeleteRequest, OffsetDeleteResponse>();
        AssertSameRange<AlterConfigsRequest, AlterConfigsResponse>();
        AssertSameRange<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>();
        AssertSameRange<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>();
        AssertSameRange<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse>();
        AssertSameRange<SaslHandshakeRequest, SaslHandshakeResponse>();
        AssertSameRange<SaslAuthenticateRequest, SaslAuthenticateResponse>();
        AssertSameRange<DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsResponse>();
        AssertSameRange<AlterUserScramCredentialsRequest, AlterUserScramCredentialsResponse>();
        Assert.Equal(42, SupportedApis.All.Count);
    }

    [Fact]
    public void All_AdvertisesSaslButNeverInterBrokerApis()
    {
        // Kafka advertises the SASL APIs on every listener; on a listener without SASL they answer ILLEGAL_SASL_STATE.
        Assert.True(SupportedApis.IsSupported(ApiKeys.SaslHandshake, 1));
        Assert.True(SupportedApis.IsSupported(ApiKeys.SaslAuthenticate, 2));
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
            ApiKeys.JoinGroup => JoinGroupRequest.Read(ref reader, v),
            ApiKeys.SyncGroup => SyncGroupRequest.Read(ref reader, v),
            ApiKeys.Heartbeat => HeartbeatRequest.Read(ref reader, v),
            ApiKeys.LeaveGroup => LeaveGroupRequest.Read(ref reader, v),
            ApiKeys.OffsetCommit => OffsetCommitRequest.Read(ref reader, v),
            ApiKeys.OffsetFetch => OffsetFetchRequest.Read(ref reader, v),
            ApiKeys.DescribeGroups => DescribeGroupsRequest.Read(ref reader, v),
            ApiKeys.ListGroups => ListGroupsRequest.Read(ref reader, v),
            ApiKeys.CreateTopics => CreateTopicsRequest.Read(ref reader, v),
            ApiKeys.DeleteTopics => DeleteTopicsRequest.Read(ref reader, v),
            ApiKeys.CreatePartitions => CreatePartitionsRequest.Read(ref reader, v),
            ApiKeys.DescribeConfigs => DescribeConfigsRequest.Read(ref reader, v),
            ApiKeys.AddPartitionsToTxn => AddPartitionsToTxnRequest.Read(ref reader, v),
            ApiKeys.AddOffsetsToTxn => AddOffsetsToTxnRequest.Read(ref reader, v),
            ApiKeys.EndTxn => EndTxnRequest.Read(ref reader, v),
            ApiKeys.TxnOffsetCommit => TxnOffsetCommitRequest.Read(ref reader, v),
            ApiKeys.DescribeCluster => DescribeClusterRequest.Read(ref reader, v),
            ApiKeys.DescribeProducers => DescribeProducersRequest.Read(ref reader, v),
            ApiKeys.DescribeTransactions => DescribeTransactionsRequest.Read(ref reader, v),
            ApiKeys.ListTransactions => ListTransactionsRequest.Read(ref reader, v),
            ApiKeys.OffsetForLeaderEpoch => OffsetForLeaderEpochRequest.Read(ref reader, v),
            ApiKeys.DeleteRecords => DeleteRecordsRequest.Read(ref reader, v),
            ApiKeys.DeleteGroups => DeleteGroupsRequest.Read(ref reader, v),
            ApiKeys.OffsetDelete => OffsetDeleteRequest.Read(ref reader, v),
            ApiKeys.AlterConfigs => AlterConfigsRequest.Read(ref reader, v),
            ApiKeys.IncrementalAlterConfigs => IncrementalAlterConfigsRequest.Read(ref reader, v),
            ApiKeys.ConsumerGroupHeartbeat => ConsumerGroupHeartbeatRequest.Read(ref reader, v),
            ApiKeys.DescribeAcls => DescribeAclsRequest.Read(ref reader, v),
            ApiKeys.CreateAcls => CreateAclsRequest.Read(ref reader, v),
            ApiKeys.DeleteAcls => DeleteAclsRequest.Read(ref reader, v),
            ApiKeys.SaslHandshake => SaslHandshakeRequest.Read(ref reader, v),
            ApiKeys.SaslAuthenticate => SaslAuthenticateRequest.Read(ref reader, v),
            ApiKeys.DescribeUserScramCredentials => DescribeUserScramCredentialsRequest.Read(ref reader, v),
            ApiKeys.AlterUserScramCredentials => AlterUserScramCredentialsRequest.Read(ref reader, v),
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
            Frame(new JoinGroupRequest { GroupId = "g", SessionTimeoutMs = 45000, ProtocolType = "consumer", Protocols = [new JoinGroupRequestProtocol { Name = "range", Metadata = new byte[24] }] }, 5, "c"),
            Frame(new SyncGroupRequest { GroupId = "g", GenerationId = 1, MemberId = "m", Assignments = [new SyncGroupRequestAssignment { MemberId = "m", Assignment = new byte[20] }] }, 3, "c"),
            Frame(new HeartbeatRequest { GroupId = "g", GenerationId = 1, MemberId = "m" }, 3, "c"),
            Frame(new LeaveGroupRequest { GroupId = "g", Members = [new LeaveGroupRequestMember { MemberId = "m" }] }, 3, "c"),
            Frame(new OffsetCommitRequest { GroupId = "g", GenerationIdOrMemberEpoch = 1, MemberId = "m", Topics = [new OffsetCommitRequestTopic { Name = "t", Partitions = [new OffsetCommitRequestPartition { CommittedOffset = 42 }] }] }, 8, "c"),
            Frame(new OffsetFetchRequest { GroupId = "g", Topics = null, RequireStable = true }, 7, "c"),
            Frame(new DescribeGroupsRequest { Groups = ["g"], IncludeAuthorizedOperations = true }, 5, "c"),
            Frame(new ListGroupsRequest { StatesFilter = ["Stable"] }, 4, "c"),
            Frame(new CreateTopicsRequest { Topics = [new CreatableTopic { Name = "t", NumPartitions = 3, ReplicationFactor = 1, Configs = [new CreatableTopicConfig { Name = "cleanup.policy", Value = "compact" }] }] }, 4, "c"),
            Frame(new DeleteTopicsRequest { TopicNames = ["t"], TimeoutMs = 30000 }, 4, "c"),
            Frame(new CreatePartitionsRequest { Topics = [new CreatePartitionsTopic { Name = "t", Count = 6, Assignments = null }], TimeoutMs = 30000 }, 3, "c"),
            Frame(new DescribeConfigsRequest { Resources = [new DescribeConfigsResource { ResourceType = 2, ResourceName = "t", ConfigurationKeys = null }] }, 4, "c"),
            Frame(new AddPartitionsToTxnRequest { TransactionalId = "tx", ProducerId = 1, Topics = [new AddPartitionsToTxnTopic { Name = "t", Partitions = [0, 1] }] }, 3, "c"),
            Frame(new AddOffsetsToTxnRequest { TransactionalId = "tx", ProducerId = 1, GroupId = "g" }, 3, "c"),
            Frame(new EndTxnRequest { TransactionalId = "tx", ProducerId = 1, Committed = true }, 3, "c"),
            Frame(new TxnOffsetCommitRequest { TransactionalId = "tx", GroupId = "g", Topics = [new TxnOffsetCommitRequestTopic { Name = "t", Partitions = [new TxnOffsetCommitRequestPartition { CommittedOffset = 5 }] }] }, 3, "c"),
            Frame(new DeleteRecordsRequest { Topics = [new DeleteRecordsTopic { Name = "t", Partitions = [new DeleteRecordsPartition { PartitionIndex = 0, Offset = 5 }] }], TimeoutMs = 30000 }, 2, "c"),
            Frame(new CreateAclsRequest { Creations = [new AclCreation { ResourceType = 2, ResourceName = "t", ResourcePatternType = 3, Principal = "User:a", Host = "*", Operation = 3, PermissionType = 3 }] }, 3, "c"),
            Frame(new DescribeAclsRequest { ResourceTypeFilter = 1, PatternTypeFilter = 1, Operation = 1, PermissionType = 1 }, 1, "c"),
            Frame(new DeleteAclsRequest { Filters = [new DeleteAclsFilter { ResourceTypeFilter = 2, ResourceNameFilter = "t", PatternTypeFilter = 2, Operation = 1, PermissionType = 1 }] }, 2, "c"),
            Frame(new DeleteGroupsRequest { GroupsNames = ["g", "h"] }, 2, "c"),
            Frame(new OffsetDeleteRequest { GroupId = "g", Topics = [new OffsetDeleteRequestTopic { Name = "t", Partitions = [new OffsetDeleteRequestPartition { PartitionIndex = 1 }] }] }, 0, "c"),
            Frame(new AlterConfigsRequest { Resources = [new AlterConfigsResource { ResourceType = 2, ResourceName = "t", Configs = [new AlterableConfig { Name = "retention.ms", Value = "1000" }] }] }, 2, "c"),
            Frame(new IncrementalAlterConfigsRequest { Resources = [new IncrementalAlterConfigsResource { ResourceType = 2, ResourceName = "t", Configs = [new AlterableConfigOperation { Name = "cleanup.policy", ConfigOperation = 2, Value = "compact" }] }] }, 1, "c"),
            Frame(new ConsumerGroupHeartbeatRequest { GroupId = "g", MemberId = "m", RebalanceTimeoutMs = 300000, SubscribedTopicNames = ["t"], TopicPartitions = [new ConsumerGroupHeartbeatTopicPartitions { TopicId = Guid.NewGuid(), Partitions = [0, 1] }] }, 1, "c"),
            Frame(new OffsetCommitRequest { GroupId = "g", GenerationIdOrMemberEpoch = 3, MemberId = "m", Topics = [new OffsetCommitRequestTopic { Name = "t", Partitions = [new OffsetCommitRequestPartition { CommittedOffset = 42 }] }] }, 9, "c"),
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
