using Confluent.Kafka;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Topics;

namespace Freshet.Broker.Tests.Admin;

/// <summary>DeleteRecords, DeleteGroups, OffsetDelete, AlterConfigs and IncrementalAlterConfigs at every served version, over raw frames.</summary>
public sealed class DeleteAndAlterProtocolTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task DeleteRecords_EveryVersion_LowWatermarkThatFetchAndListOffsetsReport(short version)
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        using (var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig()).Build())
        {
            for (var i = 0; i < 5; i++)
            {
                await producer.ProduceAsync(new TopicPartition("t", 0), new Message<Null, string> { Value = "v" + i });
            }
        }

        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var deleted = await client.RoundTripAsync<DeleteRecordsRequest, DeleteRecordsResponse>(new DeleteRecordsRequest
        {
            Topics =
            [
                new DeleteRecordsTopic { Name = "t", Partitions = [new DeleteRecordsPartition { PartitionIndex = 0, Offset = 3 }, new DeleteRecordsPartition { PartitionIndex = 7, Offset = 1 }] },
                new DeleteRecordsTopic { Name = "missing", Partitions = [new DeleteRecordsPartition { PartitionIndex = 0, Offset = 1 }] },
            ],
            TimeoutMs = 1000,
        }, version);
        var fetched = await client.RoundTripAsync<FetchRequest, FetchResponse>(new FetchRequest
        {
            MaxWaitMs = 0,
            Topics = [new FetchTopic { Topic = "t", Partitions = [new FetchPartition { Partition = 0, FetchOffset = 1, PartitionMaxBytes = 1 << 20 }] }],
        }, 12);
        var earliest = await client.RoundTripAsync<ListOffsetsRequest, ListOffsetsResponse>(new ListOffsetsRequest
        {
            Topics = [new ListOffsetsTopic { Name = "t", Partitions = [new ListOffsetsPartition { PartitionIndex = 0, Timestamp = -2 }] }],
        }, 7);

        var partitions = deleted.Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p.PartitionIndex, p.ErrorCode, p.LowWatermark))).ToArray();
        Assert.Equal([("t", 0, (short)0, 3L), ("t", 7, (short)3, -1L), ("missing", 0, (short)3, -1L)], partitions);
        var fetchAnswer = fetched.Responses.Single().Partitions.Single();
        Assert.Equal(1, fetchAnswer.ErrorCode);
        Assert.Equal(3, fetchAnswer.LogStartOffset);
        Assert.Equal(3, earliest.Topics.Single().Partitions.Single().Offset);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task DeleteGroups_EveryVersion_PerGroupCodes(short version)
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        await client.RoundTripAsync<OffsetCommitRequest, OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "done",
            GenerationIdOrMemberEpoch = -1,
            Topics = [new OffsetCommitRequestTopic { Name = "t", Partitions = [new OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 1 }] }],
        }, 8);

        var response = await client.RoundTripAsync<DeleteGroupsRequest, DeleteGroupsResponse>(new DeleteGroupsRequest { GroupsNames = ["done", "ghost", ""] }, version);

        Assert.Equal([("done", (short)0), ("ghost", (short)69), ("", (short)24)], response.Results.Select(r => (r.GroupId, r.ErrorCode)).ToArray());
    }

    [Fact]
    public async Task OffsetDelete_UnknownTopicAndUnknownGroup_Codes()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        await client.RoundTripAsync<OffsetCommitRequest, OffsetCommitResponse>(new OffsetCommitRequest
        {
            GroupId = "idle",
            GenerationIdOrMemberEpoch = -1,
            Topics = [new OffsetCommitRequestTopic { Name = "t", Partitions = [new OffsetCommitRequestPartition { PartitionIndex = 0, CommittedOffset = 1 }] }],
        }, 8);

        var mixed = await client.RoundTripAsync<OffsetDeleteRequest, OffsetDeleteResponse>(new OffsetDeleteRequest
        {
            GroupId = "idle",
            Topics =
            [
                new OffsetDeleteRequestTopic { Name = "missing", Partitions = [new OffsetDeleteRequestPartition { PartitionIndex = 0 }] },
                new OffsetDeleteRequestTopic { Name = "t", Partitions = [new OffsetDeleteRequestPartition { PartitionIndex = 0 }] },
            ],
        }, 0);
        var unknownGroup = await client.RoundTripAsync<OffsetDeleteRequest, OffsetDeleteResponse>(new OffsetDeleteRequest
        {
            GroupId = "ghost",
            Topics = [new OffsetDeleteRequestTopic { Name = "t", Partitions = [new OffsetDeleteRequestPartition { PartitionIndex = 0 }] }],
        }, 0);

        Assert.Equal(0, mixed.ErrorCode);
        Assert.Equal([("missing", (short)3), ("t", (short)0)], mixed.Topics.Select(t => (t.Name, t.Partitions.Single().ErrorCode)).ToArray());
        Assert.Empty(harness.Store.GroupOffsets.FetchAll("idle"));
        Assert.Equal(69, unknownGroup.ErrorCode);
        Assert.Empty(unknownGroup.Topics);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task AlterConfigs_EveryVersion_DuplicatesBrokerAndUnknownTypeRefused(short version)
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        harness.Store.CreateTopic("u", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var response = await client.RoundTripAsync<AlterConfigsRequest, AlterConfigsResponse>(new AlterConfigsRequest
        {
            Resources =
            [
                new AlterConfigsResource { ResourceType = 2, ResourceName = "t", Configs = [new AlterableConfig { Name = "retention.ms", Value = "1000" }] },
                new AlterConfigsResource { ResourceType = 2, ResourceName = "t", Configs = [] },
                new AlterConfigsResource { ResourceType = 2, ResourceName = "u", Configs = [new AlterableConfig { Name = "retention.ms", Value = "1000" }, new AlterableConfig { Name = "retention.ms", Value = "2000" }] },
                new AlterConfigsResource { ResourceType = 4, ResourceName = "1", Configs = [new AlterableConfig { Name = "num.partitions", Value = "3" }] },
                new AlterConfigsResource { ResourceType = 3, ResourceName = "x", Configs = [] },
            ],
        }, version);

        Assert.Equal([42, 42, 42, 42, 42], response.Responses.Select(r => (int)r.ErrorCode).ToArray());
        Assert.All(response.Responses, r => Assert.False(string.IsNullOrEmpty(r.ErrorMessage)));
        Assert.Equal(TimeSpan.FromDays(7).TotalMilliseconds, harness.Store.DescribeTopic("t").Config.RetentionMs);
        Assert.Equal(TimeSpan.FromDays(7).TotalMilliseconds, harness.Store.DescribeTopic("u").Config.RetentionMs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task IncrementalAlterConfigs_EveryVersion_ValidateOnlyAndBadOperations(short version)
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("t", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var dryRun = await client.RoundTripAsync<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>(new IncrementalAlterConfigsRequest
        {
            Resources = [Resource("t", ("retention.ms", AlterableConfigOperation.Set, "1000"))],
            ValidateOnly = true,
        }, version);
        var bad = await client.RoundTripAsync<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>(new IncrementalAlterConfigsRequest
        {
            Resources =
            [
                Resource("t", ("retention.ms", 9, "1000")),
                Resource("missing", ("retention.ms", AlterableConfigOperation.Set, "1000")),
                new IncrementalAlterConfigsResource { ResourceType = 4, ResourceName = "", Configs = [] },
            ],
        }, version);
        var emptied = await client.RoundTripAsync<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>(new IncrementalAlterConfigsRequest
        {
            Resources = [Resource("t", ("cleanup.policy", AlterableConfigOperation.Subtract, "delete"))],
        }, version);

        Assert.Equal(0, dryRun.Responses.Single().ErrorCode);
        Assert.Equal([42, 3, 42], bad.Responses.Select(r => (int)r.ErrorCode).ToArray());
        Assert.Equal(40, emptied.Responses.Single().ErrorCode);
        Assert.Equal(TopicConfig.Default.RetentionMs, harness.Store.DescribeTopic("t").Config.RetentionMs);
        Assert.Empty(harness.Store.DescribeTopic("t").OverriddenSettings);
    }

    private static IncrementalAlterConfigsResource Resource(string topic, params (string Name, sbyte Operation, string? Value)[] operations) => new()
    {
        ResourceType = 2,
        ResourceName = topic,
        Configs = operations.Select(o => new AlterableConfigOperation { Name = o.Name, ConfigOperation = o.Operation, Value = o.Value }).ToArray(),
    };
}
