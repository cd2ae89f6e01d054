using System.Text;
using Confluent.Kafka;
using Freshet.Broker.Inspection;
using Freshet.Broker.Tests.Support;
using Freshet.Log.Topics;

namespace Freshet.Broker.Tests.Inspection;

/// <summary>
/// <see cref="KafkaBroker.DescribeTopics"/>, <see cref="KafkaBroker.DescribeGroups"/> and
/// <see cref="KafkaBroker.DescribeTransactions"/> against a real broker on 127.0.0.1 driven by librdkafka
/// (Confluent.Kafka): what a client did shows in the snapshots, checked against the log itself.
/// </summary>
public sealed class BrokerInspectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task DescribeTopics_TopicWithRecords_ShowsOffsetsSizesAndSegments()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("inspected", 2, new TopicConfig { SegmentBytes = 1024 });
        using (var producer = new ProducerBuilder<Null, byte[]>(harness.ProducerConfig(c => c.LingerMs = 0)).Build())
        {
            // One record per batch, each waited for: 30 batches of about 270 bytes fill several 1 KiB segments.
            for (var i = 0; i < 30; i++)
            {
                await producer.ProduceAsync(new TopicPartition("inspected", 0), new Message<Null, byte[]> { Value = new byte[200] });
            }
        }

        var topics = harness.Broker.DescribeTopics();

        Assert.Equal(topics.Select(t => t.Name).Order(StringComparer.Ordinal), topics.Select(t => t.Name));
        Assert.Contains(topics, t => t is { Name: "__consumer_offsets", IsInternal: true, Partitions.Count: 1 });
        Assert.Contains(topics, t => t is { Name: "__transaction_state", IsInternal: true, Partitions.Count: 1 });
        var topic = Assert.Single(topics, t => t.Name == "inspected");
        Assert.False(topic.IsInternal);
        Assert.Equal([0, 1], topic.Partitions.Select(p => p.Partition));

        var written = topic.Partitions[0];
        var log = harness.Store.GetPartition("inspected", 0);
        Assert.Equal(0, written.LogStartOffset);
        Assert.Equal(30, written.LogEndOffset);
        Assert.Equal(30, written.LastStableOffset);
        Assert.Equal(log.SizeBytes, written.SizeBytes);
        Assert.True(written.SizeBytes > 30 * 200, $"{written.SizeBytes} bytes");
        Assert.Equal(log.SegmentCount, written.SegmentCount);
        Assert.True(written.SegmentCount > 1, $"{written.SegmentCount} segments");

        Assert.Equal(new PartitionOverview(1, 0, 0, 0, 0, 1), topic.Partitions[1]);
    }

    [Fact]
    public async Task DescribeGroups_ClassicConsumerWithCommittedOffset_ShowsMemberAssignmentAndLag()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("lagging", 2);
        await ProduceAsync(harness, "lagging", partition: 0, count: 10);
        await ProduceAsync(harness, "lagging", partition: 1, count: 4);

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(harness.ConsumerConfig(c =>
        {
            c.GroupId = "inspected-group";
            c.ClientId = "inspector-client";
        })).Build();
        consumer.Subscribe("lagging");
        await WaitUntilAsync(() => { consumer.Consume(TimeSpan.FromMilliseconds(100)); return consumer.Assignment.Count == 2; }, "the consumer's assignment");
        consumer.Commit([new TopicPartitionOffset("lagging", 0, 6), new TopicPartitionOffset("lagging", 1, 4)]);

        var group = Assert.Single(harness.Broker.DescribeGroups(), g => g.GroupId == "inspected-group");

        Assert.Equal("Stable", group.State);
        Assert.Equal("consumer", group.ProtocolType);
        Assert.False(string.IsNullOrEmpty(group.Protocol));
        var member = Assert.Single(group.Members);
        Assert.Equal("inspector-client", member.ClientId);
        Assert.Equal("/127.0.0.1", member.ClientHost);
        Assert.Null(member.GroupInstanceId);
        Assert.Equal([new TopicPartitionReference("lagging", 0), new TopicPartitionReference("lagging", 1)], member.Assignment);
        Assert.Equal(
            [new GroupPartitionLag("lagging", 0, 6, 10, 4), new GroupPartitionLag("lagging", 1, 4, 4, 0)],
            group.Offsets);
        consumer.Close();
    }

    [Fact]
    public async Task DescribeGroups_ConsumerProtocolMember_ShowsItsOwnedPartitions()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("kip848", 3);
        await ProduceAsync(harness, "kip848", partition: 2, count: 5);
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(harness.ConsumerConfig(c =>
        {
            c.GroupId = "next-gen";
            c.ClientId = "next-gen-client";
            c.GroupProtocol = GroupProtocol.Consumer;
        })).Build();
        consumer.Subscribe("kip848");
        await WaitUntilAsync(
            () =>
            {
                consumer.Consume(TimeSpan.FromMilliseconds(100));
                return harness.Broker.DescribeGroups().SingleOrDefault(g => g.GroupId == "next-gen") is { State: "Stable", Members: [{ Assignment.Count: 3 }] };
            },
            "a Stable group whose member owns the three partitions");
        consumer.Commit([new TopicPartitionOffset("kip848", 2, 1)]);

        var group = Assert.Single(harness.Broker.DescribeGroups(), g => g.GroupId == "next-gen");

        Assert.Equal("consumer", group.ProtocolType);
        Assert.False(string.IsNullOrEmpty(group.Protocol));
        var member = Assert.Single(group.Members);
        Assert.Equal("next-gen-client", member.ClientId);
        Assert.Equal([0, 1, 2], member.Assignment.Select(p => p.Partition));
        Assert.All(member.Assignment, p => Assert.Equal("kip848", p.Topic));
        Assert.Equal([new GroupPartitionLag("kip848", 2, 1, 5, 4)], group.Offsets);
        consumer.Close();
    }

    [Fact]
    public async Task DescribeGroups_CommitPastTheEndAndOffsetsOnlyGroup_LagFlooredAtZeroStateEmpty()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("ahead", 1);
        await ProduceAsync(harness, "ahead", partition: 0, count: 3);
        harness.Store.GroupOffsets.Commit("offsets-only", "ahead", 0, 50);

        var group = Assert.Single(harness.Broker.DescribeGroups(), g => g.GroupId == "offsets-only");

        Assert.Equal(new GroupOverview("offsets-only", "Empty", "", null, [], []) with { Offsets = group.Offsets }, group);
        Assert.Empty(group.Members);
        Assert.Equal([new GroupPartitionLag("ahead", 0, 50, 3, 0)], group.Offsets);
    }

    [Fact]
    public async Task DescribeTransactions_OpenTransaction_ShownUntilCommitted()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("txn-inspected", 2);
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(harness.ProducerConfig(c =>
        {
            c.TransactionalId = "inspected-txn";
            c.TransactionTimeoutMs = 60_000;
        })).Build();
        producer.InitTransactions(Timeout);
        Assert.Empty(harness.Broker.DescribeTransactions());

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        producer.BeginTransaction();
        await producer.ProduceAsync(new TopicPartition("txn-inspected", 1), new Message<byte[]?, byte[]?> { Value = Encoding.UTF8.GetBytes("pending") });

        var open = Assert.Single(harness.Broker.DescribeTransactions());
        Assert.Equal("inspected-txn", open.TransactionalId);
        Assert.Equal("Ongoing", open.State);
        Assert.True(open.ProducerId >= Freshet.Log.Transactions.TransactionCoordinator.FirstProducerId);
        Assert.Equal(0, open.ProducerEpoch);
        Assert.NotNull(open.StartedAt);
        Assert.InRange(open.StartedAt.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal([new TopicPartitionReference("txn-inspected", 1)], open.Partitions);
        var whileOpen = Assert.Single(harness.Broker.DescribeTopics(), t => t.Name == "txn-inspected").Partitions[1];
        Assert.Equal(1, whileOpen.LogEndOffset);
        Assert.Equal(0, whileOpen.LastStableOffset);

        producer.CommitTransaction(Timeout);

        Assert.Empty(harness.Broker.DescribeTransactions());
        var committed = Assert.Single(harness.Broker.DescribeTopics(), t => t.Name == "txn-inspected").Partitions[1];
        Assert.Equal(2, committed.LogEndOffset);
        Assert.Equal(2, committed.LastStableOffset);
    }

    private static async Task ProduceAsync(BrokerHarness harness, string topic, int partition, int count)
    {
        using var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig()).Build();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(new TopicPartition(topic, partition), new Message<Null, string> { Value = "v" + i });
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited {Timeout.TotalSeconds} s for {what}.");
            await Task.Delay(10);
        }
    }
}
