using Confluent.Kafka;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests.Groups;

/// <summary>
/// A topic that a consumer group is subscribed to is deleted while the group runs: librdkafka's
/// consumers drop its partitions, keep the others and still close; the group's committed offsets in the
/// deleted topic are gone; and commits to it are answered as Kafka answers them.
/// </summary>
public sealed class DeletedTopicGroupTests
{
    private static readonly BrokerOptions FastGroups = new() { Port = 0, GroupInitialRebalanceDelayMs = 0 };

    [Theory]
    [InlineData("cooperative-sticky")]
    [InlineData("range")]
    public async Task DeleteTopic_SubscribedGroup_ConsumersKeepTheRestAndClose(string assignor)
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("kept", 2);
        harness.Store.CreateTopic("doomed", 2);
        using (var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig()).Build())
        {
            for (var i = 0; i < 400; i++)
            {
                producer.Produce(new TopicPartition(i % 2 == 0 ? "kept" : "doomed", i / 2 % 2), new Message<Null, string> { Value = i.ToString() });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(15)));
        }

        var groupId = "deleted-topic-" + assignor;
        var members = Enumerable.Range(0, 3).Select(i => new GroupMemberThread(
            harness.ConsumerConfig(c =>
            {
                c.GroupId = groupId;
                c.ClientId = "m" + i;
                c.SessionTimeoutMs = 6000;
                c.HeartbeatIntervalMs = 300;
                c.EnableAutoCommit = true;
                c.AutoCommitIntervalMs = 200;
                c.EnableAutoOffsetStore = true;
                c.PartitionAssignmentStrategy = assignor == "range" ? PartitionAssignmentStrategy.Range : PartitionAssignmentStrategy.CooperativeSticky;
            }),
            ["kept", "doomed"])).ToList();
        try
        {
            GroupMemberThread.WaitUntil(
                () => members.Sum(m => m.OwnedTopicPartitions.Length) == 4 && members.Sum(m => m.Received.Count) == 400,
                TimeSpan.FromSeconds(40),
                () => Describe(members));
            GroupMemberThread.WaitUntil(() => harness.Store.GroupOffsets.FetchAll(groupId).Count == 4, TimeSpan.FromSeconds(40), () => "offsets not committed yet");

            using (var admin = new AdminClientBuilder(harness.AdminConfig()).Build())
            {
                await admin.DeleteTopicsAsync(["doomed"]);
            }

            GroupMemberThread.WaitUntil(
                () => members.SelectMany(m => m.OwnedTopicPartitions).Order(StringComparer.Ordinal).SequenceEqual(["kept-0", "kept-1"]),
                TimeSpan.FromSeconds(40),
                () => Describe(members));
            Assert.Equal(["kept", "kept"], harness.Store.GroupOffsets.FetchAll(groupId).Select(c => c.Topic));

            foreach (var member in members)
            {
                var closed = Task.Run(member.Leave);
                var finished = await Task.WhenAny(closed, Task.Delay(TimeSpan.FromSeconds(30)));
                Assert.True(finished == closed, $"Close() did not return within 30 s: {Describe(members)}");
            }
        }
        finally
        {
            foreach (var member in members)
            {
                member.Dispose();
            }
        }
    }

    [Fact]
    public async Task OffsetCommit_UnknownTopicWithAStaleGeneration_UnknownTopicOrPartitionAsInKafka()
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("present", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        var join = new JoinGroupRequest
        {
            GroupId = "raw-group",
            SessionTimeoutMs = 10_000,
            RebalanceTimeoutMs = 10_000,
            MemberId = "",
            ProtocolType = "consumer",
            Protocols = [new JoinGroupRequestProtocol { Name = "range", Metadata = [0, 0, 0, 0, 0, 0, 255, 255, 255, 255] }],
        };
        var joined = await client.RoundTripAsync<JoinGroupRequest, JoinGroupResponse>(join, 3);
        Assert.Equal(0, joined.ErrorCode);
        var sync = await client.RoundTripAsync<SyncGroupRequest, SyncGroupResponse>(
            new SyncGroupRequest { GroupId = "raw-group", MemberId = joined.MemberId, GenerationId = joined.GenerationId, Assignments = [] }, 3);
        Assert.Equal(0, sync.ErrorCode);

        // Kafka answers partitions of unknown topics before asking the coordinator; the others get the group's verdict.
        var stale = await client.RoundTripAsync<OffsetCommitRequest, OffsetCommitResponse>(Commit("raw-group", joined.MemberId, joined.GenerationId + 7, "gone", "present"), 8);
        Assert.Equal(3, stale.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal(22, stale.Topics[1].Partitions[0].ErrorCode);

        // A commit without a member or generation to a group that has members: UNKNOWN_MEMBER_ID, as in Kafka.
        var anonymous = await client.RoundTripAsync<OffsetCommitRequest, OffsetCommitResponse>(Commit("raw-group", "", -1, "present"), 8);
        Assert.Equal(25, anonymous.Topics[0].Partitions[0].ErrorCode);

        var valid = await client.RoundTripAsync<OffsetCommitRequest, OffsetCommitResponse>(Commit("raw-group", joined.MemberId, joined.GenerationId, "gone", "present"), 8);
        Assert.Equal(3, valid.Topics[0].Partitions[0].ErrorCode);
        Assert.Equal(0, valid.Topics[1].Partitions[0].ErrorCode);
    }

    private static OffsetCommitRequest Commit(string groupId, string memberId, int generation, params string[] topics) => new()
    {
        GroupId = groupId,
        MemberId = memberId,
        GenerationIdOrMemberEpoch = generation,
        Topics = topics.Select(t => new OffsetCommitRequestTopic { Name = t, Partitions = [new OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 1 }] }).ToArray(),
    };

    private static string Describe(IEnumerable<GroupMemberThread> members) =>
        string.Join("; ", members.Select((m, i) => $"member {i} owns [{string.Join(",", m.OwnedTopicPartitions)}], received {m.Received.Count}"));
}
