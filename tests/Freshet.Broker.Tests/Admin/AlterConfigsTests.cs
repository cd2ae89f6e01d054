using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests.Admin;

/// <summary>AlterConfigs and IncrementalAlterConfigs through librdkafka's AdminClient against a real broker.</summary>
public sealed class AlterConfigsTests
{
    [Fact]
    public async Task AlterConfigs_ReplacesOverrides_DescribedAndInEffect()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 1, Configs = new Dictionary<string, string> { ["retention.ms"] = "3600000" } }]);
        var topic = new ConfigResource { Type = ResourceType.Topic, Name = "orders" };

        await admin.AlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>> { [topic] = [new ConfigEntry { Name = "max.message.bytes", Value = "2048" }] });

        var entries = (await admin.DescribeConfigsAsync([topic])).Single().Entries;
        Assert.Equal("2048", entries["max.message.bytes"].Value);
        Assert.False(entries["max.message.bytes"].IsDefault);
        Assert.True(entries["retention.ms"].IsDefault);
        Assert.Equal("604800000", entries["retention.ms"].Value);
        using var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig()).Build();
        var tooLarge = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("orders", new Message<Null, string> { Value = new string('x', 4096) }));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, tooLarge.Error.Code);
    }

    [Fact]
    public async Task AlterConfigs_BadResources_PerResourceErrorsAndValidateOnlyChangesNothing()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 1 }]);
        var orders = new ConfigResource { Type = ResourceType.Topic, Name = "orders" };
        var missing = new ConfigResource { Type = ResourceType.Topic, Name = "missing" };

        var error = await Assert.ThrowsAsync<AlterConfigsException>(() => admin.AlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [orders] = [new ConfigEntry { Name = "retention.ms", Value = "soon" }],
            [missing] = [new ConfigEntry { Name = "retention.ms", Value = "1000" }],
        }));
        var broker = await Assert.ThrowsAsync<AlterConfigsException>(() => admin.AlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Broker, Name = harness.Broker.NodeId.ToString() }] = [new ConfigEntry { Name = "num.partitions", Value = "3" }],
        }));
        await admin.AlterConfigsAsync(
            new Dictionary<ConfigResource, List<ConfigEntry>> { [orders] = [new ConfigEntry { Name = "retention.ms", Value = "1000" }] },
            new AlterConfigsOptions { ValidateOnly = true });

        var codes = error.Results.ToDictionary(r => r.ConfigResource.Name, r => r.Error.Code);
        Assert.Equal(ErrorCode.InvalidConfig, codes["orders"]);
        Assert.Equal(ErrorCode.UnknownTopicOrPart, codes["missing"]);
        Assert.Equal(ErrorCode.InvalidRequest, broker.Results.Single().Error.Code);
        Assert.Equal(7L * 24 * 60 * 60 * 1000, harness.Store.DescribeTopic("orders").Config.RetentionMs);
    }

    [Fact]
    public async Task IncrementalAlterConfigs_SetDeleteAppendSubtract_AppliedPerKey()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 1, Configs = new Dictionary<string, string> { ["retention.ms"] = "3600000" } }]);
        var topic = new ConfigResource { Type = ResourceType.Topic, Name = "orders" };

        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [topic] =
            [
                new ConfigEntry { Name = "cleanup.policy", Value = "compact", IncrementalOperation = AlterConfigOpType.Append },
                new ConfigEntry { Name = "max.message.bytes", Value = "2048", IncrementalOperation = AlterConfigOpType.Set },
            ],
        });
        var afterSet = (await admin.DescribeConfigsAsync([topic])).Single().Entries;
        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [topic] =
            [
                new ConfigEntry { Name = "cleanup.policy", Value = "delete", IncrementalOperation = AlterConfigOpType.Subtract },
                new ConfigEntry { Name = "retention.ms", IncrementalOperation = AlterConfigOpType.Delete },
            ],
        });
        var afterDelete = (await admin.DescribeConfigsAsync([topic])).Single().Entries;

        Assert.Equal("compact,delete", afterSet["cleanup.policy"].Value);
        Assert.Equal("2048", afterSet["max.message.bytes"].Value);
        Assert.Equal("3600000", afterSet["retention.ms"].Value);
        Assert.Equal("compact", afterDelete["cleanup.policy"].Value);
        Assert.Equal("2048", afterDelete["max.message.bytes"].Value);
        Assert.True(afterDelete["retention.ms"].IsDefault);
    }

    [Fact]
    public async Task IncrementalAlterConfigs_AppendToNonList_InvalidConfigAndNothingChanged()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 1 }]);
        var topic = new ConfigResource { Type = ResourceType.Topic, Name = "orders" };

        var error = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() => admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [topic] =
            [
                new ConfigEntry { Name = "max.message.bytes", Value = "2048", IncrementalOperation = AlterConfigOpType.Set },
                new ConfigEntry { Name = "retention.ms", Value = "1000", IncrementalOperation = AlterConfigOpType.Append },
            ],
        }));

        Assert.Equal(ErrorCode.InvalidConfig, error.Results.Single().Error.Code);
        Assert.Equal(1024 * 1024 + 12, harness.Store.DescribeTopic("orders").Config.MaxBatchBytes);
    }
}
