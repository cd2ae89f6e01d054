using Confluent.Kafka;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests.Groups;

/// <summary>
/// Consumer groups of the consumer group protocol (KIP-848, <c>group.protocol=consumer</c>) driven by
/// real librdkafka consumers: the broker's assignors share the partitions, no partition is ever owned
/// by two members, a member that leaves or dies hands its partitions over, and commits made with the
/// member epoch survive a broker restart. Protocol errors are checked with raw requests.
/// </summary>
public sealed class ConsumerProtocolGroupTests
{
    private static readonly TimeSpan RebalanceTimeout = TimeSpan.FromSeconds(40);
    private static readonly BrokerOptions FastGroups = new()
    {
        Port = 0,
        GroupInitialRebalanceDelayMs = 0,
        ConsumerGroupHeartbeatIntervalMs = 200,
        ConsumerGroupSessionTimeoutMs = 3000,
    };

    [Theory]
    [InlineData("uniform")]
    [InlineData("range")]
    public async Task Subscribe_TwoMembersThenOneLeaves_PartitionsSharedNeverOwnedTwiceAndHandedOver(string assignor)
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("shared", 6);
        var groupId = "kip848-" + assignor;
        var ledger = new PartitionOwnershipLedger();
        using var first = new GroupMemberThread(MemberConfig(harness, groupId, "first", assignor), "shared", ledger);
        GroupMemberThread.WaitUntil(() => first.Owned.Length == 6, RebalanceTimeout, () => Describe([first]));
        using var second = new GroupMemberThread(MemberConfig(harness, groupId, "second", assignor), "shared", ledger);
        var members = new[] { first, second };
        GroupMemberThread.WaitUntil(
            () => members.All(m => m.Owned.Length == 3) && members.SelectMany(m => m.Owned).Order().SequenceEqual(Enumerable.Range(0, 6)),
            RebalanceTimeout,
            () => Describe(members));
        if (assignor == "range")
        {
            // Range gives each member a contiguous run of the topic's partitions.
            Assert.All(members, m => Assert.True(m.Owned.SequenceEqual([0, 1, 2]) || m.Owned.SequenceEqual([3, 4, 5]), Describe(members)));
        }

        using (var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig(c => c.Acks = Acks.All)).Build())
        {
            for (var i = 0; i < 60; i++)
            {
                producer.Produce(new TopicPartition("shared", i % 6), new Message<Null, string> { Value = i.ToString() });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(15)));
        }

        GroupMemberThread.WaitUntil(() => members.Sum(m => m.Received.Count) >= 60, RebalanceTimeout, () => $"received {first.Received.Count} + {second.Received.Count}");
        Thread.Sleep(300); // anything consumed twice would arrive now
        Assert.Equal(Enumerable.Range(0, 60), members.SelectMany(m => m.Received).Select(r => int.Parse(r.Message.Value)).Order());
        Assert.All(members, m => Assert.All(m.Received, r => Assert.Contains(r.Partition.Value, m.Owned)));

        using (var admin = new AdminClientBuilder(harness.AdminConfig()).Build())
        {
            var listed = await admin.ListConsumerGroupsAsync();
            var group = Assert.Single(listed.Valid, g => g.GroupId == groupId);
            Assert.Equal(ConsumerGroupState.Stable, group.State);
            Assert.False(group.IsSimpleConsumerGroup);
        }

        second.Leave();
        GroupMemberThread.WaitUntil(() => first.Owned.Length == 6, RebalanceTimeout, () => Describe(members));
        Assert.Empty(ledger.Violations);
        Assert.DoesNotContain(first.Errors, e => e.IsFatal);
    }

    [Fact]
    public async Task Subscribe_MemberDiesWithoutLeaving_PartitionsReassignedAfterSessionTimeout()
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("silent", 4);
        var topicId = harness.Store.DescribeTopic("silent").TopicId;
        const string groupId = "kip848-silent";
        var ledger = new PartitionOwnershipLedger();
        using var live = new GroupMemberThread(MemberConfig(harness, groupId, "live"), "silent", ledger);
        GroupMemberThread.WaitUntil(() => live.Owned.Length == 4, RebalanceTimeout, () => Describe([live]));

        // A member that joins like a consumer, takes its share once the live member released it, and
        // then goes silent as a killed process does: no leave, no more heartbeats.
        using var dead = await RawKafkaClient.ConnectAsync(harness.Broker);
        var deadId = Guid.NewGuid().ToString("N");
        var response = await HeartbeatAsync(dead, new ConsumerGroupHeartbeatRequest
        {
            GroupId = groupId,
            MemberId = deadId,
            MemberEpoch = 0,
            RebalanceTimeoutMs = 10_000,
            SubscribedTopicNames = ["silent"],
            TopicPartitions = [],
        });
        Assert.Equal(0, response.ErrorCode);
        Assert.Equal(200, response.HeartbeatIntervalMs);
        var owned = Partitions(response.Assignment);
        var epoch = response.MemberEpoch;
        var deadline = DateTime.UtcNow + RebalanceTimeout;
        while (owned.Length < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the raw member got only [{string.Join(",", owned)}]; {Describe([live])}");
            Thread.Sleep(100);
            response = await HeartbeatAsync(dead, new ConsumerGroupHeartbeatRequest
            {
                GroupId = groupId,
                MemberId = deadId,
                MemberEpoch = epoch,
                TopicPartitions = [new ConsumerGroupHeartbeatTopicPartitions { TopicId = topicId, Partitions = owned }],
            });
            Assert.Equal(0, response.ErrorCode);
            epoch = response.MemberEpoch;
            owned = response.Assignment is null ? owned : Partitions(response.Assignment);
        }

        // The live member released these before the raw member got them.
        Assert.Empty(live.Owned.Intersect(owned));
        GroupMemberThread.WaitUntil(() => live.Owned.Length == 2, RebalanceTimeout, () => Describe([live]));

        // After the 3 s session timeout the raw member is removed and the live one gets everything back.
        GroupMemberThread.WaitUntil(() => live.Owned.Length == 4, RebalanceTimeout, () => Describe([live]));
        var late = await HeartbeatAsync(dead, new ConsumerGroupHeartbeatRequest { GroupId = groupId, MemberId = deadId, MemberEpoch = epoch });
        Assert.Equal(25, late.ErrorCode); // UNKNOWN_MEMBER_ID
        Assert.Empty(ledger.Violations);
    }

    [Fact]
    public async Task Commit_BrokerRestarts_NewMemberResumesFromCommittedOffsets()
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("resume", 2);
        using (var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig(c => c.Acks = Acks.All)).Build())
        {
            for (var i = 0; i < 100; i++)
            {
                producer.Produce(new TopicPartition("resume", i % 2), new Message<Null, string> { Value = i.ToString() });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(15)));
        }

        var firstRun = new List<string>();
        using (var member = new GroupMemberThread(MemberConfig(harness, "kip848-resume", "first"), "resume"))
        {
            GroupMemberThread.WaitUntil(() => member.Received.Count >= 40, RebalanceTimeout, () => $"received {member.Received.Count}");
            member.StopPolling();
            member.CommitReceived();
            member.Consumer.Close();
            firstRun.AddRange(member.Received.Select(r => r.Message.Value));
        }

        await harness.RestartAsync();

        using var resumed = new GroupMemberThread(MemberConfig(harness, "kip848-resume", "second"), "resume");
        GroupMemberThread.WaitUntil(() => firstRun.Count + resumed.Received.Count >= 100, RebalanceTimeout, () => $"received {firstRun.Count} + {resumed.Received.Count}");
        Thread.Sleep(500); // anything consumed twice would arrive now
        var all = firstRun.Concat(resumed.Received.Select(r => r.Message.Value)).Select(int.Parse).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 100), all);
    }

    [Fact]
    public async Task OffsetCommit_MemberOfConsumerProtocolGroup_ValidatesMemberAndEpoch()
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("commits", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        var memberId = Guid.NewGuid().ToString("N");
        var joined = await HeartbeatAsync(client, Join("kip848-commits", memberId, "commits"));
        Assert.Equal(0, joined.ErrorCode);
        Assert.Equal(1, joined.MemberEpoch);

        Assert.Equal(0, await CommitAsync(client, "kip848-commits", memberId, joined.MemberEpoch, version: 9));
        Assert.Equal(113, await CommitAsync(client, "kip848-commits", memberId, joined.MemberEpoch - 1, version: 9)); // STALE_MEMBER_EPOCH
        Assert.Equal(25, await CommitAsync(client, "kip848-commits", "someone-else", joined.MemberEpoch, version: 9)); // UNKNOWN_MEMBER_ID
        Assert.Equal(35, await CommitAsync(client, "kip848-commits", memberId, joined.MemberEpoch, version: 8)); // UNSUPPORTED_VERSION
        Assert.Equal(25, await CommitAsync(client, "kip848-commits", "", -1, version: 9)); // a simple commit while the group has members

        // TxnOffsetCommit has no STALE_MEMBER_EPOCH: a stale epoch is ILLEGAL_GENERATION, checked before the transaction.
        Assert.Equal(22, await TxnCommitAsync(client, "kip848-commits", memberId, joined.MemberEpoch + 1));
        Assert.Equal(25, await TxnCommitAsync(client, "kip848-commits", "someone-else", joined.MemberEpoch));

        var left = await HeartbeatAsync(client, new ConsumerGroupHeartbeatRequest { GroupId = "kip848-commits", MemberId = memberId, MemberEpoch = -1 });
        Assert.Equal(0, left.ErrorCode);
        Assert.Equal(-1, left.MemberEpoch);
        Assert.Equal(0, await CommitAsync(client, "kip848-commits", "", -1, version: 9)); // the group is empty now
    }

    [Fact]
    public async Task Heartbeat_InvalidRequests_GetKafkasErrors()
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("errors", 2);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        var memberId = Guid.NewGuid().ToString("N");

        var badAssignor = Join("kip848-errors", memberId, "errors");
        badAssignor.ServerAssignor = "sticky";
        Assert.Equal(112, (await HeartbeatAsync(client, badAssignor)).ErrorCode); // UNSUPPORTED_ASSIGNOR

        var regex = Join("kip848-errors", memberId, "errors");
        regex.SubscribedTopicRegex = "err.*";
        Assert.Equal(42, (await HeartbeatAsync(client, regex)).ErrorCode); // INVALID_REQUEST

        var noMemberId = Join("kip848-errors", "", "errors");
        Assert.Equal(42, (await HeartbeatAsync(client, noMemberId)).ErrorCode); // v1 needs a client-chosen id

        var noSubscription = Join("kip848-errors", memberId, "errors");
        noSubscription.SubscribedTopicNames = null;
        Assert.Equal(42, (await HeartbeatAsync(client, noSubscription)).ErrorCode);

        Assert.Equal(25, (await HeartbeatAsync(client, new ConsumerGroupHeartbeatRequest { GroupId = "kip848-errors", MemberId = memberId, MemberEpoch = 3 })).ErrorCode); // UNKNOWN_MEMBER_ID

        var joined = await HeartbeatAsync(client, Join("kip848-errors", memberId, "errors"));
        Assert.Equal(0, joined.ErrorCode);
        Assert.Equal(2, Partitions(joined.Assignment).Length);
        var fenced = await HeartbeatAsync(client, new ConsumerGroupHeartbeatRequest { GroupId = "kip848-errors", MemberId = memberId, MemberEpoch = joined.MemberEpoch + 1 });
        Assert.Equal(110, fenced.ErrorCode); // FENCED_MEMBER_EPOCH

        // v0: the coordinator chooses the member id.
        var v0 = await client.RoundTripAsync<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>(Join("kip848-errors", "", "errors"), 0);
        Assert.Equal(0, v0.ErrorCode);
        Assert.False(string.IsNullOrEmpty(v0.MemberId));

        var described = Assert.Single((await client.RoundTripAsync<DescribeGroupsRequest, DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = ["kip848-errors"] }, 5)).Groups);
        Assert.Equal("consumer", described.ProtocolType);
        Assert.Equal("uniform", described.ProtocolData);
        Assert.Equal(2, described.Members.Count);

        // The group id belongs to the consumer protocol now: a classic member cannot join it.
        var classicJoin = await client.RoundTripAsync<JoinGroupRequest, JoinGroupResponse>(
            new JoinGroupRequest { GroupId = "kip848-errors", MemberId = "", SessionTimeoutMs = 10_000, RebalanceTimeoutMs = 10_000, ProtocolType = "consumer", Protocols = [new JoinGroupRequestProtocol { Name = "range", Metadata = [] }] },
            3);
        Assert.Equal(23, classicJoin.ErrorCode); // INCONSISTENT_GROUP_PROTOCOL
    }

    [Fact]
    public async Task Heartbeat_ClassicGroupWithMembers_GroupIdNotFound()
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("classic", 1);
        using var classic = new GroupMemberThread(harness.ConsumerConfig(c => { c.GroupId = "kip848-classic"; c.ClientId = "classic"; }), "classic");
        GroupMemberThread.WaitUntil(() => classic.Owned.Length == 1, RebalanceTimeout, () => Describe([classic]));

        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        var response = await HeartbeatAsync(client, Join("kip848-classic", Guid.NewGuid().ToString("N"), "classic"));
        Assert.Equal(69, response.ErrorCode); // GROUP_ID_NOT_FOUND
    }

    [Theory]
    [InlineData(0, 45_000)]
    [InlineData(5000, 5000)]
    public void BrokerOptions_HeartbeatIntervalZeroOrNotBelowSessionTimeout_Refused(int heartbeatIntervalMs, int sessionTimeoutMs)
    {
        var options = new BrokerOptions { ConsumerGroupHeartbeatIntervalMs = heartbeatIntervalMs, ConsumerGroupSessionTimeoutMs = sessionTimeoutMs };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("ConsumerGroup", error.Message);
    }

    private static ConsumerGroupHeartbeatRequest Join(string groupId, string memberId, string topic) => new()
    {
        GroupId = groupId,
        MemberId = memberId,
        MemberEpoch = 0,
        RebalanceTimeoutMs = 10_000,
        SubscribedTopicNames = [topic],
        TopicPartitions = [],
    };

    private static Task<ConsumerGroupHeartbeatResponse> HeartbeatAsync(RawKafkaClient client, ConsumerGroupHeartbeatRequest request) =>
        client.RoundTripAsync<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>(request, 1);

    private static async Task<short> CommitAsync(RawKafkaClient client, string groupId, string memberId, int memberEpoch, short version)
    {
        var response = await client.RoundTripAsync<OffsetCommitRequest, OffsetCommitResponse>(
            new OffsetCommitRequest
            {
                GroupId = groupId,
                MemberId = memberId,
                GenerationIdOrMemberEpoch = memberEpoch,
                Topics = [new OffsetCommitRequestTopic { Name = "commits", Partitions = [new OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 1 }] }],
            },
            version);
        return response.Topics[0].Partitions[0].ErrorCode;
    }

    private static async Task<short> TxnCommitAsync(RawKafkaClient client, string groupId, string memberId, int memberEpoch)
    {
        var response = await client.RoundTripAsync<TxnOffsetCommitRequest, TxnOffsetCommitResponse>(
            new TxnOffsetCommitRequest
            {
                TransactionalId = "tx",
                GroupId = groupId,
                ProducerId = 1,
                GenerationId = memberEpoch,
                MemberId = memberId,
                Topics = [new TxnOffsetCommitRequestTopic { Name = "commits", Partitions = [new TxnOffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 1 }] }],
            },
            3);
        return response.Topics[0].Partitions[0].ErrorCode;
    }

    private static int[] Partitions(ConsumerGroupHeartbeatAssignment? assignment) =>
        assignment?.TopicPartitions.SelectMany(t => t.Partitions).Order().ToArray() ?? [];

    private static ConsumerConfig MemberConfig(BrokerHarness harness, string groupId, string clientId, string? assignor = null) => harness.ConsumerConfig(c =>
    {
        c.GroupId = groupId;
        c.ClientId = clientId;
        c.GroupProtocol = GroupProtocol.Consumer;
        c.GroupRemoteAssignor = assignor;
    });

    private static string Describe(IEnumerable<GroupMemberThread> members) =>
        string.Join("; ", members.Select((m, i) => $"member {i} owns [{string.Join(",", m.Owned)}]"));
}
