using Confluent.Kafka;
using Freshet.Broker.Groups;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests.Groups;

/// <summary>
/// ConsumerGroupDescribe (KIP-848) against a real broker: librdkafka's DescribeConsumerGroups sees a consumer protocol
/// group's members with their assignments (as from Apache Kafka 4), still describes classic groups through its
/// fallback to DescribeGroups, and raw requests get Kafka's per-group errors.
/// </summary>
public sealed class ConsumerGroupDescribeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly BrokerOptions FastGroups = new()
    {
        Port = 0,
        GroupInitialRebalanceDelayMs = 0,
        ConsumerGroupHeartbeatIntervalMs = 200,
        ConsumerGroupSessionTimeoutMs = 3000,
    };

    [Fact]
    public async Task DescribeConsumerGroups_ConsumerProtocolGroup_MembersWithTheirAssignments()
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("described", 4);
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(harness.ConsumerConfig(c =>
        {
            c.GroupId = "kip848-described";
            c.ClientId = "describer";
            c.GroupProtocol = GroupProtocol.Consumer;
        })).Build();
        consumer.Subscribe("described");
        var deadline = DateTime.UtcNow + Timeout;
        while (consumer.Assignment.Count < 4)
        {
            Assert.True(DateTime.UtcNow < deadline, "the consumer got no assignment");
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        var description = Assert.Single((await admin.DescribeConsumerGroupsAsync(["kip848-described"])).ConsumerGroupDescriptions);

        Assert.Equal(ConsumerGroupType.Consumer, description.GroupType);
        Assert.Equal(ConsumerGroupState.Stable, description.State);
        Assert.Equal("uniform", description.PartitionAssignor);
        var member = Assert.Single(description.Members);
        Assert.Equal(consumer.MemberId, member.ConsumerId);
        Assert.Equal("describer", member.ClientId);
        Assert.Equal([0, 1, 2, 3], member.Assignment.TopicPartitions.Where(p => p.Topic == "described").Select(p => p.Partition.Value).Order());
        Assert.Equal([0, 1, 2, 3], member.TargetAssignment!.TopicPartitions.Where(p => p.Topic == "described").Select(p => p.Partition.Value).Order());
        consumer.Close();
    }

    [Fact]
    public async Task DescribeConsumerGroups_ClassicGroup_DescribedThroughTheFallback()
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("classic-described", 2);
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(harness.ConsumerConfig(c =>
        {
            c.GroupId = "classic-described";
            c.ClientId = "classic";
        })).Build();
        consumer.Subscribe("classic-described");
        var deadline = DateTime.UtcNow + Timeout;
        while (consumer.Assignment.Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the consumer got no assignment");
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        var description = Assert.Single((await admin.DescribeConsumerGroupsAsync(["classic-described"])).ConsumerGroupDescriptions);

        Assert.Equal(ConsumerGroupState.Stable, description.State);
        var member = Assert.Single(description.Members);
        Assert.Equal([0, 1], member.Assignment.TopicPartitions.Select(p => p.Partition.Value).Order());
        consumer.Close();
    }

    [Fact]
    public async Task ConsumerGroupDescribe_ClassicUnknownAndEmptyIds_PerGroupErrorsInOrder()
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("offsets-only", 1);
        harness.Store.GroupOffsets.Commit("offsets-only-group", [new Freshet.Log.Groups.OffsetCommit("offsets-only", 0, 3)]);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var response = await client.RoundTripAsync<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse>(
            new ConsumerGroupDescribeRequest { GroupIds = ["offsets-only-group", "never-seen", ""], IncludeAuthorizedOperations = true },
            0);

        Assert.Equal(["offsets-only-group", "never-seen", ""], response.Groups.Select(g => g.GroupId));
        Assert.Equal([GroupErrorCode.GroupIdNotFound, GroupErrorCode.GroupIdNotFound, GroupErrorCode.InvalidGroupId], response.Groups.Select(g => g.ErrorCode));
        Assert.All(response.Groups, g => Assert.Empty(g.Members));
    }
}
