using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests.Admin;

/// <summary>Topic administration through librdkafka's AdminClient against a real broker.</summary>
public sealed class AdminClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task CreateTopics_WithConfigs_ListedAndDescribed()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();

        await admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = "orders",
            NumPartitions = 3,
            ReplicationFactor = 1,
            Configs = new Dictionary<string, string> { ["retention.ms"] = "3600000", ["cleanup.policy"] = "compact" },
        }]);

        var metadata = admin.GetMetadata("orders", Timeout);
        Assert.Equal(3, metadata.Topics.Single().Partitions.Count);
        var described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "orders" }]);
        var entries = described.Single().Entries;
        Assert.Equal("3600000", entries["retention.ms"].Value);
        Assert.False(entries["retention.ms"].IsDefault);
        Assert.Equal(ConfigSource.DynamicTopicConfig, entries["retention.ms"].Source);
        Assert.Equal("compact", entries["cleanup.policy"].Value);
        Assert.True(entries["segment.bytes"].IsDefault);
        Assert.Equal(ConfigSource.DefaultConfig, entries["segment.bytes"].Source);
    }

    [Fact]
    public async Task CreateTopics_InvalidRequests_SpecificErrorsAndNothingCreated()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "taken", NumPartitions = 1 }]);

        var error = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = "taken", NumPartitions = 1 },
            new TopicSpecification { Name = "bad name!", NumPartitions = 1 },
            new TopicSpecification { Name = "replicated", NumPartitions = 1, ReplicationFactor = 3 },
            new TopicSpecification { Name = "misconfigured", NumPartitions = 1, Configs = new Dictionary<string, string> { ["retention.ms"] = "soon" } },
            new TopicSpecification { Name = "fine", NumPartitions = 2 },
        ]));

        var codes = error.Results.ToDictionary(r => r.Topic, r => r.Error.Code);
        Assert.Equal(ErrorCode.TopicAlreadyExists, codes["taken"]);
        Assert.Equal(ErrorCode.TopicException, codes["bad name!"]);
        Assert.Equal(ErrorCode.InvalidReplicationFactor, codes["replicated"]);
        Assert.Equal(ErrorCode.InvalidConfig, codes["misconfigured"]);
        Assert.Equal(ErrorCode.NoError, codes["fine"]);
        Assert.Equal(["fine", "taken"], harness.Store.ListTopics());
    }

    [Fact]
    public async Task CreateTopics_ValidateOnly_CreatesNothing()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();

        await admin.CreateTopicsAsync([new TopicSpecification { Name = "dry-run", NumPartitions = 2 }], new CreateTopicsOptions { ValidateOnly = true });

        Assert.Empty(harness.Store.ListTopics());
    }

    [Fact]
    public async Task CreatePartitions_GrowTopic_NewPartitionAcceptsRecords()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "growing", NumPartitions = 1 }]);

        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "growing", IncreaseTo = 4 }]);
        var shrink = await Assert.ThrowsAsync<CreatePartitionsException>(() => admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "growing", IncreaseTo = 2 }]));

        Assert.Equal(ErrorCode.InvalidPartitions, shrink.Results.Single().Error.Code);
        Assert.Equal(4, admin.GetMetadata("growing", Timeout).Topics.Single().Partitions.Count);
        using var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig(c => c.Acks = Acks.All)).Build();
        var delivered = await producer.ProduceAsync(new TopicPartition("growing", 3), new Message<Null, string> { Value = "in the new partition" });
        Assert.Equal(0, delivered.Offset.Value);
    }

    [Fact]
    public async Task DeleteTopics_ExistingAndUnknown_DeletedAndErrorReported()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "doomed", NumPartitions = 2 }]);

        var error = await Assert.ThrowsAsync<DeleteTopicsException>(() => admin.DeleteTopicsAsync(["doomed", "never-existed"]));

        var codes = error.Results.ToDictionary(r => r.Topic, r => r.Error.Code);
        Assert.Equal(ErrorCode.NoError, codes["doomed"]);
        Assert.Equal(ErrorCode.UnknownTopicOrPart, codes["never-existed"]);
        Assert.Empty(harness.Store.ListTopics());
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "doomed", NumPartitions = 1 }]);
        Assert.Single(admin.GetMetadata("doomed", Timeout).Topics.Single().Partitions);
    }

    [Fact]
    public async Task DescribeConfigs_UnknownTopicAndBroker_ErrorAndBrokerSettings()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();

        var broker = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = harness.Broker.NodeId.ToString() }]);
        var unknown = await Assert.ThrowsAsync<DescribeConfigsException>(() => admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "missing" }]));

        Assert.Equal(harness.Broker.NodeId.ToString(), broker.Single().Entries["broker.id"].Value);
        Assert.Equal(ErrorCode.UnknownTopicOrPart, unknown.Results.Single().Error.Code);
    }

    [Fact]
    public async Task CreateTopics_BeyondThePartitionLimit_PolicyViolationAndNothingCreated()
    {
        await using var harness = await BrokerHarness.StartAsync(new BrokerOptions { Port = 0, MaxPartitions = 10 });
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "small", NumPartitions = 8 }]);

        var tooMany = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync([new TopicSpecification { Name = "large", NumPartitions = 3 }]));
        var grow = await Assert.ThrowsAsync<CreatePartitionsException>(() => admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "small", IncreaseTo = 11 }]));

        Assert.Equal(ErrorCode.PolicyViolation, tooMany.Results.Single().Error.Code);
        Assert.Contains("MaxPartitions", tooMany.Results.Single().Error.Reason);
        Assert.Equal(ErrorCode.PolicyViolation, grow.Results.Single().Error.Code);
        Assert.Equal(["small"], harness.Store.ListTopics());
        Assert.Equal(8, harness.Store.PartitionCount);
    }
}
