using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests.Groups;

/// <summary>
/// Classic consumer groups driven by real librdkafka consumers: partitions are shared by every
/// client-side assignor, the group rebalances when a member leaves and when one dies silently
/// (session timeout), and committed offsets survive a broker restart.
/// </summary>
public sealed class ConsumerGroupTests
{
    private static readonly TimeSpan RebalanceTimeout = TimeSpan.FromSeconds(40);
    private static readonly BrokerOptions FastGroups = new() { Port = 0, GroupInitialRebalanceDelayMs = 0 };

    [Theory]
    [InlineData("range")]
    [InlineData("roundrobin")]
    [InlineData("cooperative-sticky")]
    public async Task Subscribe_ThreeMembersThenOneLeaves_PartitionsSharedAndRebalanced(string assignor)
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("shared", 6);
        var groupId = "group-" + assignor;
        var members = Enumerable.Range(0, 3).Select(i => new GroupMemberThread(MemberConfig(harness, groupId, assignor, $"m{i}"), "shared")).ToList();
        try
        {
            GroupMemberThread.WaitUntil(
                () => members.All(m => m.Owned.Length == 2) && members.SelectMany(m => m.Owned).Order().SequenceEqual(Enumerable.Range(0, 6)),
                RebalanceTimeout,
                () => Describe(members));

            using (var admin = new AdminClientBuilder(harness.AdminConfig()).Build())
            {
                var group = admin.ListGroup(groupId, TimeSpan.FromSeconds(10));
                Assert.Equal("Stable", group.State);
                Assert.Equal(3, group.Members.Count);
                Assert.Equal("consumer", group.ProtocolType);
            }

            members[2].Leave();
            var remaining = members.Take(2).ToList();
            GroupMemberThread.WaitUntil(
                () => remaining.All(m => m.Owned.Length == 3) && remaining.SelectMany(m => m.Owned).Order().SequenceEqual(Enumerable.Range(0, 6)),
                RebalanceTimeout,
                () => Describe(remaining));
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
    public async Task Subscribe_MemberDiesWithoutLeaving_RemovedAfterSessionTimeoutAndPartitionsReassigned()
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("silent", 4);
        const string groupId = "group-silent";
        using var member = new GroupMemberThread(MemberConfig(harness, groupId, "range", "live"), "silent");
        GroupMemberThread.WaitUntil(() => member.Owned.Length == 4, RebalanceTimeout, () => Describe([member]));

        // A member that joins like a consumer and then goes silent, as a killed process does: no
        // LeaveGroup, no heartbeats. Its JoinGroup completes only when the live member rejoins.
        using var dead = await RawKafkaClient.ConnectAsync(harness.Broker);
        var join = new JoinGroupRequest
        {
            GroupId = groupId,
            SessionTimeoutMs = 2000,
            RebalanceTimeoutMs = 10000,
            MemberId = "",
            ProtocolType = "consumer",
            Protocols = [new JoinGroupRequestProtocol { Name = "range", Metadata = ConsumerSubscription("silent") }],
        };
        var first = await dead.RoundTripAsync<JoinGroupRequest, JoinGroupResponse>(join, 5);
        Assert.Equal(79, first.ErrorCode); // MEMBER_ID_REQUIRED: join again with the id
        join.MemberId = first.MemberId;
        var joined = await dead.RoundTripAsync<JoinGroupRequest, JoinGroupResponse>(join, 5);
        Assert.Equal(0, joined.ErrorCode);
        Assert.Equal(first.MemberId, joined.MemberId);

        GroupMemberThread.WaitUntil(() => member.Owned.Length == 2, RebalanceTimeout, () => Describe([member]));

        // After the dead member's 2 s session timeout the coordinator removes it and the live member gets everything back.
        GroupMemberThread.WaitUntil(() => member.Owned.Length == 4, RebalanceTimeout, () => Describe([member]));
        var heartbeat = await dead.RoundTripAsync<HeartbeatRequest, HeartbeatResponse>(new HeartbeatRequest { GroupId = groupId, MemberId = joined.MemberId, GenerationId = joined.GenerationId }, 3);
        Assert.Equal(25, heartbeat.ErrorCode); // UNKNOWN_MEMBER_ID
    }

    [Fact]
    public async Task Commit_BrokerRestarts_GroupResumesFromCommittedOffsets()
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
        using (var member = new GroupMemberThread(MemberConfig(harness, "resumer", "range", "first"), "resume"))
        {
            GroupMemberThread.WaitUntil(() => member.Received.Count >= 40, RebalanceTimeout, () => $"received {member.Received.Count}");
            member.StopPolling();
            member.CommitReceived();
            member.Consumer.Close();
            firstRun.AddRange(member.Received.Select(r => r.Message.Value));
        }

        await harness.RestartAsync();

        using var resumed = new GroupMemberThread(MemberConfig(harness, "resumer", "range", "second"), "resume");
        GroupMemberThread.WaitUntil(() => firstRun.Count + resumed.Received.Count >= 100, RebalanceTimeout, () => $"received {firstRun.Count} + {resumed.Received.Count}");
        Thread.Sleep(500); // anything consumed twice would arrive now
        var all = firstRun.Concat(resumed.Received.Select(r => r.Message.Value)).Select(int.Parse).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 100), all);
    }

    private static ConsumerConfig MemberConfig(BrokerHarness harness, string groupId, string assignor, string clientId) => harness.ConsumerConfig(c =>
    {
        c.GroupId = groupId;
        c.ClientId = clientId;
        c.SessionTimeoutMs = 6000;
        c.HeartbeatIntervalMs = 300;
        c.PartitionAssignmentStrategy = assignor switch
        {
            "range" => PartitionAssignmentStrategy.Range,
            "roundrobin" => PartitionAssignmentStrategy.RoundRobin,
            _ => PartitionAssignmentStrategy.CooperativeSticky,
        };
    });

    /// <summary>The consumer protocol's subscription (version 0): the topics, and no user data.</summary>
    private static byte[] ConsumerSubscription(string topic)
    {
        var name = Encoding.UTF8.GetBytes(topic);
        var bytes = new byte[2 + 4 + 2 + name.Length + 4];
        BinaryPrimitives.WriteInt16BigEndian(bytes, 0);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(2), 1);
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(6), (short)name.Length);
        name.CopyTo(bytes.AsSpan(8));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8 + name.Length), -1);
        return bytes;
    }

    private static string Describe(IEnumerable<GroupMemberThread> members) =>
        string.Join("; ", members.Select((m, i) => $"member {i} owns [{string.Join(",", m.Owned)}]"));
}
