using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests.Admin;

/// <summary>
/// The admin APIs at every advertised version over a raw socket (librdkafka picks one version per API;
/// other clients send others), and the Kafka rules a client library hides: error messages from v1,
/// duplicates, null config values, validate-only limits, DescribeConfigs filters and default flags.
/// </summary>
public sealed class AdminProtocolTests
{
    private static CreateTopicsRequest Create(string name, int partitions = 1, short replicationFactor = 1, bool validateOnly = false, params (string Name, string? Value)[] configs) => new()
    {
        Topics = [new CreatableTopic { Name = name, NumPartitions = partitions, ReplicationFactor = replicationFactor, Configs = configs.Select(c => new CreatableTopicConfig { Name = c.Name, Value = c.Value }).ToArray() }],
        TimeoutMs = 5000,
        ValidateOnly = validateOnly,
    };

    [Fact]
    public async Task ApiVersions_AdminApis_AdvertisedWithTheirRanges()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var response = await client.RoundTripAsync<ApiVersionsRequest, ApiVersionsResponse>(new ApiVersionsRequest { ClientSoftwareName = "raw", ClientSoftwareVersion = "1" }, 3);

        var advertised = response.ApiKeys.ToDictionary(k => (ApiKeys)k.ApiKey, k => (k.MinVersion, k.MaxVersion));
        Assert.Equal(((short)0, (short)4), advertised[ApiKeys.CreateTopics]);
        Assert.Equal(((short)0, (short)4), advertised[ApiKeys.DeleteTopics]);
        Assert.Equal(((short)0, (short)3), advertised[ApiKeys.CreatePartitions]);
        Assert.Equal(((short)0, (short)4), advertised[ApiKeys.DescribeConfigs]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task CreateTopics_EveryVersion_CreatesThenReportsExistingWithMessageFromV1(short version)
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var created = await client.RoundTripAsync<CreateTopicsRequest, CreateTopicsResponse>(Create("t", 2, configs: ("retention.ms", "1000")), version);
        var again = await client.RoundTripAsync<CreateTopicsRequest, CreateTopicsResponse>(Create("t", 2), version);

        Assert.Equal(0, created.Topics.Single().ErrorCode);
        Assert.Equal(2, harness.Store.DescribeTopic("t").Partitions.Count);
        Assert.Equal(1000, harness.Store.DescribeTopic("t").Config.RetentionMs);
        Assert.Equal(36, again.Topics.Single().ErrorCode);
        if (version >= 1)
        {
            Assert.Contains("already exists", again.Topics.Single().ErrorMessage);
        }
    }

    [Fact]
    public async Task CreateTopics_V4BrokerDefaults_UsesDefaultPartitionCount()
    {
        await using var harness = await BrokerHarness.StartAsync(new BrokerOptions { DefaultPartitions = 3 });
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var response = await client.RoundTripAsync<CreateTopicsRequest, CreateTopicsResponse>(Create("defaults", partitions: -1, replicationFactor: -1), 4);

        Assert.Equal(0, response.Topics.Single().ErrorCode);
        Assert.Equal(3, harness.Store.DescribeTopic("defaults").Partitions.Count);
    }

    [Fact]
    public async Task CreateTopics_BadRequests_KafkaErrorCodesAndNothingCreated()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        var request = new CreateTopicsRequest
        {
            Topics =
            [
                new CreatableTopic { Name = "twice", NumPartitions = 1, ReplicationFactor = 1 },
                new CreatableTopic { Name = "twice", NumPartitions = 2, ReplicationFactor = 1 },
                new CreatableTopic { Name = "null-config", NumPartitions = 1, ReplicationFactor = 1, Configs = [new CreatableTopicConfig { Name = "retention.ms", Value = null }] },
                new CreatableTopic { Name = "unknown-config", NumPartitions = 1, ReplicationFactor = 1, Configs = [new CreatableTopicConfig { Name = "no.such.setting", Value = "1" }] },
                new CreatableTopic { Name = "zero", NumPartitions = 0, ReplicationFactor = 1 },
                new CreatableTopic { Name = "replicated", NumPartitions = 1, ReplicationFactor = 2 },
                new CreatableTopic { Name = "..", NumPartitions = 1, ReplicationFactor = 1 },
                new CreatableTopic { Name = "elsewhere", NumPartitions = -1, ReplicationFactor = -1, Assignments = [new CreatableReplicaAssignment { PartitionIndex = 0, BrokerIds = [99] }] },
            ],
            TimeoutMs = 5000,
        };

        var response = await client.RoundTripAsync<CreateTopicsRequest, CreateTopicsResponse>(request, 4);

        Assert.Equal(
            [("twice", 42), ("twice", 42), ("null-config", 40), ("unknown-config", 40), ("zero", 37), ("replicated", 38), ("..", 17), ("elsewhere", 39)],
            response.Topics.Select(t => (t.Name, (int)t.ErrorCode)));
        Assert.All(response.Topics, t => Assert.False(string.IsNullOrEmpty(t.ErrorMessage)));
        Assert.Empty(harness.Store.ListTopics());
    }

    [Fact]
    public async Task CreateTopics_ValidateOnly_SameErrorsAsCreatingAndNothingCreated()
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("exists", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);
        var request = new CreateTopicsRequest
        {
            Topics =
            [
                new CreatableTopic { Name = "fine", NumPartitions = 4, ReplicationFactor = 1 },
                new CreatableTopic { Name = "exists", NumPartitions = 1, ReplicationFactor = 1 },
                new CreatableTopic { Name = "huge", NumPartitions = 100_001, ReplicationFactor = 1 },
                new CreatableTopic { Name = "bad-value", NumPartitions = 1, ReplicationFactor = 1, Configs = [new CreatableTopicConfig { Name = "cleanup.policy", Value = "sometimes" }] },
            ],
            TimeoutMs = 5000,
            ValidateOnly = true,
        };

        var response = await client.RoundTripAsync<CreateTopicsRequest, CreateTopicsResponse>(request, 3);

        Assert.Equal([("fine", 0), ("exists", 36), ("huge", 37), ("bad-value", 40)], response.Topics.Select(t => (t.Name, (int)t.ErrorCode)));
        Assert.Equal(["exists"], harness.Store.ListTopics());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task DeleteTopics_EveryVersion_DeletesAndReportsUnknown(short version)
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("doomed", 2);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var response = await client.RoundTripAsync<DeleteTopicsRequest, DeleteTopicsResponse>(new DeleteTopicsRequest { TopicNames = ["doomed", "missing"], TimeoutMs = 5000 }, version);

        Assert.Equal([("doomed", 0), ("missing", 3)], response.Responses.Select(r => (r.Name, (int)r.ErrorCode)));
        Assert.Empty(harness.Store.ListTopics());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task CreatePartitions_EveryVersion_GrowsValidatesAndRefuses(short version)
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("grow", 1);
        harness.Store.CreateTopic("dry", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var grow = await client.RoundTripAsync<CreatePartitionsRequest, CreatePartitionsResponse>(new CreatePartitionsRequest
        {
            Topics =
            [
                new CreatePartitionsTopic { Name = "grow", Count = 3, Assignments = null },
                new CreatePartitionsTopic { Name = "missing", Count = 3, Assignments = null },
            ],
            TimeoutMs = 5000,
        }, version);
        var dry = await client.RoundTripAsync<CreatePartitionsRequest, CreatePartitionsResponse>(new CreatePartitionsRequest
        {
            Topics =
            [
                new CreatePartitionsTopic { Name = "dry", Count = 5, Assignments = null },
                new CreatePartitionsTopic { Name = "grow", Count = 2, Assignments = null },
            ],
            TimeoutMs = 5000,
            ValidateOnly = true,
        }, version);
        var duplicate = await client.RoundTripAsync<CreatePartitionsRequest, CreatePartitionsResponse>(new CreatePartitionsRequest
        {
            Topics = [new CreatePartitionsTopic { Name = "dry", Count = 2, Assignments = null }, new CreatePartitionsTopic { Name = "dry", Count = 3, Assignments = null }],
            TimeoutMs = 5000,
        }, version);

        Assert.Equal([("grow", 0), ("missing", 3)], grow.Results.Select(r => (r.Name, (int)r.ErrorCode)));
        Assert.Equal([("dry", 0), ("grow", 37)], dry.Results.Select(r => (r.Name, (int)r.ErrorCode)));
        Assert.Equal([42, 42], duplicate.Results.Select(r => (int)r.ErrorCode));
        Assert.Equal(3, harness.Store.DescribeTopic("grow").Partitions.Count);
        Assert.Single(harness.Store.DescribeTopic("dry").Partitions);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task DescribeConfigs_EveryVersion_TopicSettingsWithDefaultFlags(short version)
    {
        await using var harness = await BrokerHarness.StartAsync();
        harness.Store.CreateTopic("described", 1, harness.Store.Options.DefaultTopicConfig.With([new("retention.ms", "5000")]));
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var response = await client.RoundTripAsync<DescribeConfigsRequest, DescribeConfigsResponse>(new DescribeConfigsRequest
        {
            Resources = [new DescribeConfigsResource { ResourceType = 2, ResourceName = "described", ConfigurationKeys = null }],
            IncludeSynonyms = version >= 1,
        }, version);

        var result = response.Results.Single();
        Assert.Equal(0, result.ErrorCode);
        var entries = result.Configs.ToDictionary(c => c.Name);
        Assert.Equal(Freshet.Log.Topics.TopicConfig.Names.Order(), entries.Keys.Order());
        Assert.Equal("5000", entries["retention.ms"].Value);
        Assert.All(entries.Values, e => Assert.False(e.ReadOnly));
        if (version == 0)
        {
            Assert.False(entries["retention.ms"].IsDefault);
            Assert.True(entries["segment.bytes"].IsDefault);
        }
        else
        {
            Assert.Equal(1, entries["retention.ms"].ConfigSource);
            Assert.Equal(5, entries["segment.bytes"].ConfigSource);
            Assert.All(entries.Values, e => Assert.Empty(e.Synonyms));
        }

        if (version >= 3)
        {
            Assert.All(entries.Values, e => Assert.Null(e.Documentation));
        }
    }

    [Fact]
    public async Task DescribeConfigs_KeysFilterUnknownTopicAndBroker_AsKafka()
    {
        await using var harness = await BrokerHarness.StartAsync(new BrokerOptions { DefaultPartitions = 2 });
        harness.Store.CreateTopic("described", 1);
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var response = await client.RoundTripAsync<DescribeConfigsRequest, DescribeConfigsResponse>(new DescribeConfigsRequest
        {
            Resources =
            [
                new DescribeConfigsResource { ResourceType = 2, ResourceName = "described", ConfigurationKeys = ["retention.ms", "cleanup.policy", "not.a.setting"] },
                new DescribeConfigsResource { ResourceType = 2, ResourceName = "described", ConfigurationKeys = [] },
                new DescribeConfigsResource { ResourceType = 2, ResourceName = "missing", ConfigurationKeys = null },
                new DescribeConfigsResource { ResourceType = 4, ResourceName = harness.Broker.NodeId.ToString(), ConfigurationKeys = ["num.partitions"] },
                new DescribeConfigsResource { ResourceType = 4, ResourceName = "", ConfigurationKeys = null },
                new DescribeConfigsResource { ResourceType = 4, ResourceName = "12345", ConfigurationKeys = null },
                new DescribeConfigsResource { ResourceType = 3, ResourceName = "group", ConfigurationKeys = null },
            ],
        }, 4);

        var results = response.Results;
        Assert.Equal(["cleanup.policy", "retention.ms"], results[0].Configs.Select(c => c.Name).Order());
        Assert.Equal(Freshet.Log.Topics.TopicConfig.Names.Count, results[1].Configs.Count);
        Assert.Equal(3, results[2].ErrorCode);
        Assert.Equal(("num.partitions", "2"), (results[3].Configs.Single().Name, results[3].Configs.Single().Value));
        Assert.Equal(0, results[4].ErrorCode);
        Assert.NotEmpty(results[4].Configs);
        Assert.Equal([42, 42], new[] { results[5].ErrorCode, results[6].ErrorCode }.Select(c => (int)c));
    }

    [Fact]
    public async Task DeleteTopics_AdminClient_MetadataNoLongerListsItAndRecreateStartsEmpty()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "cycle", NumPartitions = 2 }]);
        using (var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig(c => c.Acks = Acks.All)).Build())
        {
            await producer.ProduceAsync("cycle", new Message<Null, string> { Value = "before delete" });
        }

        await admin.DeleteTopicsAsync(["cycle"]);

        Assert.DoesNotContain(admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics, t => t.Topic == "cycle");
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "cycle", NumPartitions = 1 }]);
        Assert.Single(admin.GetMetadata("cycle", TimeSpan.FromSeconds(10)).Topics.Single().Partitions);
        Assert.Equal(0, harness.Store.GetPartition("cycle", 0).LogEndOffset);
    }
}
