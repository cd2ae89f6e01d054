using Freshet.Broker.Security.Authorization;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;
using static Freshet.Broker.Tests.Security.AclTestBroker;

namespace Freshet.Broker.Tests.Security;

/// <summary>
/// ACL checks of the APIs whose refusals a real client does not surface precisely, sent as raw requests: each case
/// shows the refusal with Kafka's error code, then the same request allowed once the ACL is granted.
/// </summary>
public sealed class AclRawRequestTests
{
    private const short TopicDenied = 29;
    private const short GroupDenied = 30;
    private const short ClusterDenied = 31;
    private const short TransactionalIdDenied = 53;

    private static async Task<(BrokerHarness Harness, RawKafkaClient Client)> StartAsync(params string[] topics)
    {
        var harness = await AclTestBroker.StartAsync();
        foreach (var topic in topics)
        {
            harness.Store.CreateTopic(topic, 1);
        }

        return (harness, await RawKafkaClient.ConnectAsync(harness.Broker));
    }

    [Fact]
    public async Task Produce_WriteFromThisHostOnly_AllowedHere_DeniedOnOtherTopic()
    {
        var (harness, client) = await StartAsync("orders", "payments");
        await using var _ = harness;
        using var __ = client;
        harness.Grant(Topic("orders", AclOperation.Write, ThisHost), Topic("payments", AclOperation.Write, OtherHost));

        var allowed = await client.RoundTripAsync<ProduceRequest, ProduceResponse>(Requests.Produce("orders", Requests.Batch(1)), 9);
        var denied = await client.RoundTripAsync<ProduceRequest, ProduceResponse>(Requests.Produce("payments", Requests.Batch(1)), 9);

        Assert.Equal(0, allowed.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.Equal(TopicDenied, denied.Responses[0].PartitionResponses[0].ErrorCode);
        Assert.Equal(0, harness.Store.DescribeTopic("payments").Partitions[0].LogEndOffset);
    }

    [Fact]
    public async Task Produce_TransactionalWithoutWriteOnTransactionalId_Denied()
    {
        var (harness, client) = await StartAsync("orders");
        await using var _ = harness;
        using var __ = client;
        harness.Grant(Topic("orders", AclOperation.Write));

        var response = await client.RoundTripAsync<ProduceRequest, ProduceResponse>(Requests.Produce("orders", Requests.Batch(1), transactionalId: "tx"), 9);

        Assert.Equal(TransactionalIdDenied, response.Responses[0].PartitionResponses[0].ErrorCode);
    }

    [Fact]
    public async Task FetchListOffsetsOffsetForLeaderEpoch_NeedReadOrDescribe()
    {
        var (harness, client) = await StartAsync("orders");
        await using var _ = harness;
        using var __ = client;
        harness.Grant(Topic("orders", AclOperation.Describe));

        var fetch = await client.RoundTripAsync<FetchRequest, FetchResponse>(Requests.Fetch("orders", 0), 12);
        var offsets = await client.RoundTripAsync<ListOffsetsRequest, ListOffsetsResponse>(ListOffsets("orders"), 7);
        var epochs = await client.RoundTripAsync<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse>(EndOffsets("orders"), 4);
        Assert.Equal(TopicDenied, fetch.Responses[0].Partitions[0].ErrorCode);
        Assert.Equal(0, offsets.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal(0, epochs.Topics[0].Partitions[0].ErrorCode);

        harness.Grant(Deny(AclResourceType.Topic, "orders", AclOperation.Describe));
        offsets = await client.RoundTripAsync<ListOffsetsRequest, ListOffsetsResponse>(ListOffsets("orders"), 7);
        epochs = await client.RoundTripAsync<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse>(EndOffsets("orders"), 4);
        Assert.Equal(TopicDenied, offsets.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal(TopicDenied, epochs.Topics[0].Partitions[0].ErrorCode);

        harness.Grant(Topic("orders", AclOperation.Read));
        fetch = await client.RoundTripAsync<FetchRequest, FetchResponse>(Requests.Fetch("orders", 0), 12);
        Assert.Equal(0, fetch.Responses[0].Partitions[0].ErrorCode);
    }

    [Fact]
    public async Task ClassicGroupApis_WithoutReadOnGroup_GetGroupAuthorizationFailed()
    {
        var (harness, client) = await StartAsync("orders");
        await using var _ = harness;
        using var __ = client;
        harness.Grant(Topic("orders", AclOperation.Read), Group("g", AclOperation.Describe));

        var join = await client.RoundTripAsync<JoinGroupRequest, JoinGroupResponse>(
            new JoinGroupRequest { GroupId = "g", SessionTimeoutMs = 10_000, RebalanceTimeoutMs = 10_000, MemberId = "", ProtocolType = "consumer", Protocols = [new JoinGroupRequestProtocol { Name = "range", Metadata = [] }] }, 5);
        var sync = await client.RoundTripAsync<SyncGroupRequest, SyncGroupResponse>(new SyncGroupRequest { GroupId = "g", GenerationId = 1, MemberId = "m", Assignments = [] }, 3);
        var heartbeat = await client.RoundTripAsync<HeartbeatRequest, HeartbeatResponse>(new HeartbeatRequest { GroupId = "g", GenerationId = 1, MemberId = "m" }, 3);
        var leave = await client.RoundTripAsync<LeaveGroupRequest, LeaveGroupResponse>(new LeaveGroupRequest { GroupId = "g", Members = [new LeaveGroupRequestMember { MemberId = "m" }] }, 3);
        var commit = await client.RoundTripAsync<OffsetCommitRequest, OffsetCommitResponse>(Commit("g", "orders"), 8);
        var fetched = await client.RoundTripAsync<OffsetFetchRequest, OffsetFetchResponse>(new OffsetFetchRequest { GroupId = "g", Topics = null }, 7);

        Assert.Equal(GroupDenied, join.ErrorCode);
        Assert.Equal(GroupDenied, sync.ErrorCode);
        Assert.Equal(GroupDenied, heartbeat.ErrorCode);
        Assert.Equal(GroupDenied, leave.ErrorCode);
        Assert.Equal(GroupDenied, commit.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal(0, fetched.ErrorCode); // DESCRIBE on the group is enough to fetch offsets, as in Kafka.

        harness.Grant(Group("g", AclOperation.Read));
        commit = await client.RoundTripAsync<OffsetCommitRequest, OffsetCommitResponse>(Commit("g", "orders"), 8);
        Assert.Equal(0, commit.Topics[0].Partitions[0].ErrorCode);
    }

    [Fact]
    public async Task OffsetCommitAndFetch_TopicNotReadable_TopicAuthorizationFailed()
    {
        var (harness, client) = await StartAsync("orders");
        await using var _ = harness;
        using var __ = client;
        harness.Grant(Group("g", AclOperation.Read));
        harness.Store.GroupOffsets.Commit("g", "orders", 0, 5);

        var commit = await client.RoundTripAsync<OffsetCommitRequest, OffsetCommitResponse>(Commit("g", "orders"), 8);
        var all = await client.RoundTripAsync<OffsetFetchRequest, OffsetFetchResponse>(new OffsetFetchRequest { GroupId = "g", Topics = null }, 7);
        var named = await client.RoundTripAsync<OffsetFetchRequest, OffsetFetchResponse>(new OffsetFetchRequest { GroupId = "g", Topics = [new OffsetFetchRequestTopic { Name = "orders", PartitionIndexes = [0] }] }, 7);

        Assert.Equal(TopicDenied, commit.Topics[0].Partitions[0].ErrorCode);
        Assert.Empty(all.Topics);
        Assert.Equal(TopicDenied, named.Topics[0].Partitions[0].ErrorCode);
    }

    [Fact]
    public async Task OffsetDeleteAndDescribeGroups_NeedDeleteAndDescribe()
    {
        var (harness, client) = await StartAsync("orders");
        await using var _ = harness;
        using var __ = client;
        harness.Store.GroupOffsets.Commit("g", "orders", 0, 5);
        harness.Grant(Group("g", AclOperation.Read), Topic("orders", AclOperation.Read));

        var delete = await client.RoundTripAsync<OffsetDeleteRequest, OffsetDeleteResponse>(
            new OffsetDeleteRequest { GroupId = "g", Topics = [new OffsetDeleteRequestTopic { Name = "orders", Partitions = [new OffsetDeleteRequestPartition { PartitionIndex = 0 }] }] }, 0);
        var described = await client.RoundTripAsync<DescribeGroupsRequest, DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = ["g", "other"], IncludeAuthorizedOperations = true }, 5);

        Assert.Equal(GroupDenied, delete.ErrorCode);
        Assert.Equal(0, described.Groups[0].ErrorCode);
        Assert.Equal((1 << (int)AclOperation.Read) | (1 << (int)AclOperation.Describe), described.Groups[0].AuthorizedOperations);
        Assert.Equal(GroupDenied, described.Groups[1].ErrorCode);

        harness.Grant(Group("g", AclOperation.Delete));
        delete = await client.RoundTripAsync<OffsetDeleteRequest, OffsetDeleteResponse>(
            new OffsetDeleteRequest { GroupId = "g", Topics = [new OffsetDeleteRequestTopic { Name = "orders", Partitions = [new OffsetDeleteRequestPartition { PartitionIndex = 0 }] }] }, 0);
        Assert.Equal(0, delete.ErrorCode);
        Assert.Equal(0, delete.Topics[0].Partitions[0].ErrorCode);
    }

    [Fact]
    public async Task ConsumerProtocolGroup_NeedsReadOnGroupAndDescribeOnTopics()
    {
        var (harness, client) = await StartAsync("orders");
        await using var _ = harness;
        using var __ = client;

        var heartbeat = await client.RoundTripAsync<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>(Heartbeat("cg"), 0);
        Assert.Equal(GroupDenied, heartbeat.ErrorCode);

        harness.Grant(Group("cg", AclOperation.Read));
        heartbeat = await client.RoundTripAsync<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>(Heartbeat("cg"), 0);
        Assert.Equal(TopicDenied, heartbeat.ErrorCode);

        harness.Grant(Topic("orders", AclOperation.Read));
        heartbeat = await client.RoundTripAsync<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>(Heartbeat("cg"), 0);
        Assert.Equal(0, heartbeat.ErrorCode);

        var described = await client.RoundTripAsync<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse>(new ConsumerGroupDescribeRequest { GroupIds = ["cg", "other"] }, 0);
        Assert.Equal(0, described.Groups[0].ErrorCode);
        Assert.Equal(GroupDenied, described.Groups[1].ErrorCode);
    }

    [Fact]
    public async Task FindCoordinator_NeedsDescribeOnGroupOrTransactionalId()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;
        harness.Grant(Group("g", AclOperation.Read));

        var group = await client.RoundTripAsync<FindCoordinatorRequest, FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "g", KeyType = FindCoordinatorRequest.GroupKeyType }, 2);
        var otherGroup = await client.RoundTripAsync<FindCoordinatorRequest, FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "h", KeyType = FindCoordinatorRequest.GroupKeyType }, 2);
        var transaction = await client.RoundTripAsync<FindCoordinatorRequest, FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "tx", KeyType = FindCoordinatorRequest.TransactionKeyType }, 2);

        Assert.Equal(0, group.ErrorCode);
        Assert.Equal(GroupDenied, otherGroup.ErrorCode);
        Assert.Equal(TransactionalIdDenied, transaction.ErrorCode);
    }

    [Fact]
    public async Task InitProducerId_Idempotent_NeedsIdempotentWriteOrWriteOnSomeTopic()
    {
        var (harness, client) = await StartAsync("orders");
        await using var _ = harness;
        using var __ = client;

        var denied = await client.RoundTripAsync<InitProducerIdRequest, InitProducerIdResponse>(new InitProducerIdRequest { TransactionTimeoutMs = 60_000 }, 4);
        Assert.Equal(ClusterDenied, denied.ErrorCode);

        harness.Grant(Topic("orders", AclOperation.Write));
        var byTopic = await client.RoundTripAsync<InitProducerIdRequest, InitProducerIdResponse>(new InitProducerIdRequest { TransactionTimeoutMs = 60_000 }, 4);
        Assert.Equal(0, byTopic.ErrorCode);
        Assert.True(byTopic.ProducerId >= 0);

        var transactional = await client.RoundTripAsync<InitProducerIdRequest, InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = "tx", TransactionTimeoutMs = 60_000 }, 4);
        Assert.Equal(TransactionalIdDenied, transactional.ErrorCode);
    }

    [Fact]
    public async Task InitProducerId_IdempotentWriteOnCluster_Allowed()
    {
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;
        harness.Grant(ClusterAcl(AclOperation.IdempotentWrite));

        var response = await client.RoundTripAsync<InitProducerIdRequest, InitProducerIdResponse>(new InitProducerIdRequest { TransactionTimeoutMs = 60_000 }, 4);

        Assert.Equal(0, response.ErrorCode);
    }

    [Fact]
    public async Task TransactionApis_WithoutWriteOnTransactionalId_GetTransactionalIdAuthorizationFailed()
    {
        var (harness, client) = await StartAsync("orders");
        await using var _ = harness;
        using var __ = client;
        harness.Grant(Topic("orders", AclOperation.All), Group("g", AclOperation.Read));

        var add = await client.RoundTripAsync<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>(
            new AddPartitionsToTxnRequest { TransactionalId = "tx", ProducerId = 1, ProducerEpoch = 0, Topics = [new AddPartitionsToTxnTopic { Name = "orders", Partitions = [0] }] }, 3);
        var offsets = await client.RoundTripAsync<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>(new AddOffsetsToTxnRequest { TransactionalId = "tx", ProducerId = 1, ProducerEpoch = 0, GroupId = "g" }, 3);
        var end = await client.RoundTripAsync<EndTxnRequest, EndTxnResponse>(new EndTxnRequest { TransactionalId = "tx", ProducerId = 1, ProducerEpoch = 0, Committed = true }, 3);
        var commit = await client.RoundTripAsync<TxnOffsetCommitRequest, TxnOffsetCommitResponse>(
            new TxnOffsetCommitRequest { TransactionalId = "tx", GroupId = "g", ProducerId = 1, ProducerEpoch = 0, Topics = [new TxnOffsetCommitRequestTopic { Name = "orders", Partitions = [new TxnOffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 1 }] }] }, 3);
        var describe = await client.RoundTripAsync<DescribeTransactionsRequest, DescribeTransactionsResponse>(new DescribeTransactionsRequest { TransactionalIds = ["tx"] }, 0);

        Assert.Equal(TransactionalIdDenied, add.Results[0].Results[0].PartitionErrorCode);
        Assert.Equal(TransactionalIdDenied, offsets.ErrorCode);
        Assert.Equal(TransactionalIdDenied, end.ErrorCode);
        Assert.Equal(TransactionalIdDenied, commit.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal(TransactionalIdDenied, describe.TransactionStates[0].ErrorCode);
    }

    [Fact]
    public async Task TransactionApis_TopicOrGroupNotAllowed_GetTopicOrGroupAuthorizationFailed()
    {
        var (harness, client) = await StartAsync("orders", "other");
        await using var _ = harness;
        using var __ = client;
        harness.Grant(TransactionalId("tx", AclOperation.Write), Topic("orders", AclOperation.Write));

        var add = await client.RoundTripAsync<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>(
            new AddPartitionsToTxnRequest { TransactionalId = "tx", ProducerId = 1, ProducerEpoch = 0, Topics = [new AddPartitionsToTxnTopic { Name = "orders", Partitions = [0] }, new AddPartitionsToTxnTopic { Name = "other", Partitions = [0] }] }, 3);
        var offsets = await client.RoundTripAsync<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>(new AddOffsetsToTxnRequest { TransactionalId = "tx", ProducerId = 1, ProducerEpoch = 0, GroupId = "g" }, 3);

        Assert.Equal(55, add.Results[0].Results[0].PartitionErrorCode);
        Assert.Equal(TopicDenied, add.Results[1].Results[0].PartitionErrorCode);
        Assert.Equal(GroupDenied, offsets.ErrorCode);
    }

    [Fact]
    public async Task DescribeProducersAndListTransactions_FilterByAcl()
    {
        var (harness, client) = await StartAsync("orders");
        await using var _ = harness;
        using var __ = client;
        harness.Grant(Topic("orders", AclOperation.Write), TransactionalId("tx", AclOperation.Write));
        var init = await client.RoundTripAsync<InitProducerIdRequest, InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = "tx", TransactionTimeoutMs = 60_000 }, 4);
        Assert.Equal(0, init.ErrorCode);

        var producers = await client.RoundTripAsync<DescribeProducersRequest, DescribeProducersResponse>(new DescribeProducersRequest { Topics = [new DescribeProducersTopicRequest { Name = "orders", PartitionIndexes = [0] }] }, 0);
        var listed = await client.RoundTripAsync<ListTransactionsRequest, ListTransactionsResponse>(new ListTransactionsRequest(), 1);
        Assert.Equal(TopicDenied, producers.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal(["tx"], listed.TransactionStates.Select(t => t.TransactionalId));

        harness.Grant(Deny(AclResourceType.TransactionalId, "tx", AclOperation.Describe));
        listed = await client.RoundTripAsync<ListTransactionsRequest, ListTransactionsResponse>(new ListTransactionsRequest(), 1);
        Assert.Empty(listed.TransactionStates);
    }

    [Fact]
    public async Task DeleteRecords_NeedsDeleteOnTopic()
    {
        var (harness, client) = await StartAsync("orders");
        await using var _ = harness;
        using var __ = client;
        harness.Grant(Topic("orders", AclOperation.Write));
        await client.RoundTripAsync<ProduceRequest, ProduceResponse>(Requests.Produce("orders", Requests.Batch(3)), 9);
        var request = new DeleteRecordsRequest { Topics = [new DeleteRecordsTopic { Name = "orders", Partitions = [new DeleteRecordsPartition { PartitionIndex = 0, Offset = 2 }] }], TimeoutMs = 1000 };

        var denied = await client.RoundTripAsync<DeleteRecordsRequest, DeleteRecordsResponse>(request, 2);
        harness.Grant(Topic("orders", AclOperation.Delete));
        var allowed = await client.RoundTripAsync<DeleteRecordsRequest, DeleteRecordsResponse>(request, 2);

        Assert.Equal(TopicDenied, denied.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal(0, allowed.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal(2, allowed.Topics[0].Partitions[0].LowWatermark);
    }

    [Fact]
    public async Task Metadata_AuthorizedOperations_ComputedPerTopicAndCluster()
    {
        var (harness, client) = await StartAsync("orders");
        await using var _ = harness;
        using var __ = client;
        harness.Grant(Topic("orders", AclOperation.Read), ClusterAcl(AclOperation.Create));
        var request = Requests.Metadata("orders");
        request.IncludeTopicAuthorizedOperations = true;
        request.IncludeClusterAuthorizedOperations = true;

        var response = await client.RoundTripAsync<MetadataRequest, MetadataResponse>(request, 10);

        Assert.Equal((1 << (int)AclOperation.Read) | (1 << (int)AclOperation.Describe), response.Topics[0].TopicAuthorizedOperations);
        Assert.Equal(1 << (int)AclOperation.Create, response.ClusterAuthorizedOperations);
    }

    private static ListOffsetsRequest ListOffsets(string topic) => new()
    {
        Topics = [new ListOffsetsTopic { Name = topic, Partitions = [new ListOffsetsPartition { PartitionIndex = 0, Timestamp = -1 }] }],
    };

    private static OffsetForLeaderEpochRequest EndOffsets(string topic) => new()
    {
        Topics = [new OffsetForLeaderTopic { Topic = topic, Partitions = [new OffsetForLeaderPartition { Partition = 0, LeaderEpoch = 0 }] }],
    };

    private static OffsetCommitRequest Commit(string group, string topic) => new()
    {
        GroupId = group,
        GenerationIdOrMemberEpoch = -1,
        MemberId = "",
        Topics = [new OffsetCommitRequestTopic { Name = topic, Partitions = [new OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 0 }] }],
    };

    private static ConsumerGroupHeartbeatRequest Heartbeat(string group) => new()
    {
        GroupId = group,
        MemberId = Guid.NewGuid().ToString("N"),
        MemberEpoch = 0,
        RebalanceTimeoutMs = 10_000,
        SubscribedTopicNames = ["orders"],
        TopicPartitions = [],
    };
}
