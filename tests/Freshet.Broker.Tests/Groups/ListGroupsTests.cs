using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests.Groups;

/// <summary>
/// ListGroups v5 against a real broker: each group's type (classic, or consumer for KIP-848 groups), as Apache Kafka 3.8+
/// reports it, and the type filter, through librdkafka's ListConsumerGroups and a raw request.
/// </summary>
public sealed class ListGroupsTests
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
    public async Task ListConsumerGroups_ClassicConsumerAndOffsetsOnlyGroups_TypedAndFilteredByType()
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("typed", 2);
        harness.Store.GroupOffsets.Commit("offsets-only", [new Freshet.Log.Groups.OffsetCommit("typed", 0, 1)]);
        using var classic = Member(harness, "classic-group", GroupProtocol.Classic);
        using var modern = Member(harness, "consumer-group", GroupProtocol.Consumer);

        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        var all = (await admin.ListConsumerGroupsAsync()).Valid.ToDictionary(g => g.GroupId);
        Assert.Equal(ConsumerGroupType.Classic, all["classic-group"].Type);
        Assert.Equal(ConsumerGroupType.Consumer, all["consumer-group"].Type);
        Assert.Equal(ConsumerGroupType.Classic, all["offsets-only"].Type);
        Assert.True(all["offsets-only"].IsSimpleConsumerGroup);

        var consumerOnly = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchTypes = [ConsumerGroupType.Consumer] });
        Assert.Equal(["consumer-group"], consumerOnly.Valid.Select(g => g.GroupId));

        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        var raw = await client.RoundTripAsync<ListGroupsRequest, ListGroupsResponse>(new ListGroupsRequest { TypesFilter = ["CLASSIC"], StatesFilter = ["empty"] }, 5);
        Assert.Equal(["offsets-only"], raw.Groups.Select(g => g.GroupId));
        Assert.Equal("classic", raw.Groups[0].GroupType);
        classic.Close();
        modern.Close();
    }

    private static IConsumer<byte[]?, byte[]?> Member(BrokerHarness harness, string group, GroupProtocol protocol)
    {
        var consumer = new ConsumerBuilder<byte[]?, byte[]?>(harness.ConsumerConfig(c =>
        {
            c.GroupId = group;
            c.GroupProtocol = protocol;
        })).Build();
        consumer.Subscribe("typed");
        var deadline = DateTime.UtcNow + Timeout;
        while (consumer.Assignment.Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{group} got no assignment");
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        return consumer;
    }
}
