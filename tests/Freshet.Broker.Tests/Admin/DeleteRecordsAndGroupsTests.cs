using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests.Admin;

/// <summary>DeleteRecords, DeleteGroups, OffsetDelete and AlterConsumerGroupOffsets through librdkafka's AdminClient against a real broker.</summary>
public sealed class DeleteRecordsAndGroupsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DeleteRecords_MovesLowWatermark_ReportedAndFetchBelowItResets()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "trim", NumPartitions = 1 }]);
        await ProduceEachAsync(harness, "trim", 10);

        var deleted = await admin.DeleteRecordsAsync([new TopicPartitionOffset("trim", 0, 4)]);

        Assert.Equal(4, deleted.Single().Offset.Value);
        using var consumer = new ConsumerBuilder<Ignore, string>(harness.ConsumerConfig()).Build();
        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition("trim", 0), Timeout);
        Assert.Equal(4, watermarks.Low.Value);
        Assert.Equal(10, watermarks.High.Value);

        // Offset 2 is below the log start: the fetch gets OFFSET_OUT_OF_RANGE and the consumer resets to the earliest.
        consumer.Assign(new TopicPartitionOffset("trim", 0, 2));
        var first = ConsumeOne(consumer);
        Assert.Equal(4, first.Offset.Value);
        Assert.Equal("record-4", first.Message.Value);
    }

    [Fact]
    public async Task DeleteRecords_BadPartitions_PerPartitionErrorsOthersApplied()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = "plain", NumPartitions = 1 },
            new TopicSpecification { Name = "compacted", NumPartitions = 1, Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" } },
        ]);
        await ProduceEachAsync(harness, "plain", 3);
        await ProduceEachAsync(harness, "compacted", 3);

        var error = await Assert.ThrowsAsync<DeleteRecordsException>(() => admin.DeleteRecordsAsync(
        [
            new TopicPartitionOffset("plain", 0, Offset.End),
            new TopicPartitionOffset("compacted", 0, 1),
        ]));

        var reports = error.Results.ToDictionary(r => r.Topic);
        Assert.Equal(ErrorCode.NoError, reports["plain"].Error.Code);
        Assert.Equal(3, reports["plain"].Offset.Value);
        Assert.Equal(ErrorCode.PolicyViolation, reports["compacted"].Error.Code);
        Assert.Equal(3, harness.Store.GetPartition("plain", 0).LogStartOffset);
        Assert.Equal(0, harness.Store.GetPartition("compacted", 0).LogStartOffset);

        var beyond = await Assert.ThrowsAsync<DeleteRecordsException>(() => admin.DeleteRecordsAsync([new TopicPartitionOffset("plain", 0, 99)]));
        Assert.Equal(ErrorCode.OffsetOutOfRange, beyond.Results.Single().Error.Code);
    }

    [Fact]
    public async Task DeleteGroups_EmptyActiveAndUnknown_PerGroupErrorsAndOffsetsGone()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "events", NumPartitions = 2 }]);
        CommitWithoutMembership(harness, "finished", new TopicPartitionOffset("events", 0, 7));
        using var member = JoinedMember(harness, "active", "events");

        var error = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["finished", "active", "ghost"]));

        var codes = error.Results.ToDictionary(r => r.Group, r => r.Error.Code);
        Assert.Equal(ErrorCode.NoError, codes["finished"]);
        Assert.Equal(ErrorCode.NonEmptyGroup, codes["active"]);
        Assert.Equal(ErrorCode.GroupIdNotFound, codes["ghost"]);
        var offsets = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("finished", [new TopicPartition("events", 0)])]);
        Assert.Equal(Offset.Unset, offsets.Single().Partitions.Single().Offset);
        var again = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["finished"]));
        Assert.Equal(ErrorCode.GroupIdNotFound, again.Results.Single().Error.Code);
    }

    [Fact]
    public async Task DeleteConsumerGroupOffsets_OnlyNamedPartitionsLoseTheirOffsets()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "events", NumPartitions = 2 }]);
        CommitWithoutMembership(harness, "idle", new TopicPartitionOffset("events", 0, 5), new TopicPartitionOffset("events", 1, 6));

        var deleted = await admin.DeleteConsumerGroupOffsetsAsync("idle", [new TopicPartition("events", 0)]);

        Assert.Equal("idle", deleted.Group);
        var offsets = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("idle", [new TopicPartition("events", 0), new TopicPartition("events", 1)])]);
        var byPartition = offsets.Single().Partitions.ToDictionary(p => p.Partition.Value, p => p.Offset);
        Assert.Equal(Offset.Unset, byPartition[0]);
        Assert.Equal(6, byPartition[1].Value);
        // librdkafka reports a group-level error as the operation's failure.
        var unknown = await Assert.ThrowsAsync<KafkaException>(() => admin.DeleteConsumerGroupOffsetsAsync("never-committed", [new TopicPartition("events", 1)]));
        Assert.Equal(ErrorCode.GroupIdNotFound, unknown.Error.Code);
    }

    [Fact]
    public async Task DeleteConsumerGroupOffsets_TopicTheGroupConsumes_GroupSubscribedToTopic()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "events", NumPartitions = 1 }]);
        using var member = JoinedMember(harness, "busy", "events");
        member.Commit([new TopicPartitionOffset("events", 0, 3)]);

        var error = await Assert.ThrowsAsync<DeleteConsumerGroupOffsetsException>(() => admin.DeleteConsumerGroupOffsetsAsync("busy", [new TopicPartition("events", 0)]));

        Assert.Equal(ErrorCode.GroupSubscribedToTopic, error.Result.Partitions.Single().Error.Code);
        var offsets = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("busy", [new TopicPartition("events", 0)])]);
        Assert.Equal(3, offsets.Single().Partitions.Single().Offset.Value);
    }

    [Fact]
    public async Task AlterConsumerGroupOffsets_EmptyGroupApplied_ActiveGroupRefusedWithUnknownMemberAndUnchanged()
    {
        // What 'freshet groups reset-offsets --execute' sends: an OffsetCommit without member (generation -1), which
        // Kafka stores only while the group is empty.
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "events", NumPartitions = 1 }]);
        CommitWithoutMembership(harness, "stopped", new TopicPartitionOffset("events", 0, 7));
        using var member = JoinedMember(harness, "running", "events");
        member.Commit([new TopicPartitionOffset("events", 0, 4)]);

        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("stopped", [new TopicPartitionOffset("events", 0, 2)])]);
        var refused = await Assert.ThrowsAsync<AlterConsumerGroupOffsetsException>(() =>
            admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("running", [new TopicPartitionOffset("events", 0, 0)])]));

        Assert.Equal(ErrorCode.UnknownMemberId, refused.Results.Single().Partitions.Single().Error.Code);
        var stopped = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("stopped", [new TopicPartition("events", 0)])]);
        Assert.Equal(2, stopped.Single().Partitions.Single().Offset.Value);
        var running = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("running", [new TopicPartition("events", 0)])]);
        Assert.Equal(4, running.Single().Partitions.Single().Offset.Value);
    }

    private static async Task ProduceEachAsync(BrokerHarness harness, string topic, int count)
    {
        // One awaited send per record: each record is its own batch. Keyed, as a compacted topic requires.
        using var producer = new ProducerBuilder<string, string>(harness.ProducerConfig(c => c.Acks = Acks.All)).Build();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<string, string> { Key = "key-" + i, Value = "record-" + i });
        }
    }

    private static ConsumeResult<Ignore, string> ConsumeOne(IConsumer<Ignore, string> consumer)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                return result;
            }
        }

        throw new TimeoutException("No record arrived.");
    }

    // Commits as a client with no membership (manual assignment), so the group exists only through its offsets.
    private static void CommitWithoutMembership(BrokerHarness harness, string group, params TopicPartitionOffset[] offsets)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(harness.ConsumerConfig(c => c.GroupId = group)).Build();
        consumer.Commit(offsets);
        consumer.Close();
    }

    // A consumer subscribed to the topic that has joined the group and received its assignment.
    private static IConsumer<Ignore, string> JoinedMember(BrokerHarness harness, string group, string topic)
    {
        var consumer = new ConsumerBuilder<Ignore, string>(harness.ConsumerConfig(c => c.GroupId = group)).Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (consumer.Assignment.Count == 0 && DateTime.UtcNow < deadline)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        Assert.NotEmpty(consumer.Assignment);
        return consumer;
    }
}
