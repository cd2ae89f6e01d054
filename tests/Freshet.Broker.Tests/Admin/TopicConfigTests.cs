using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Tests.Support;
using Freshet.Log.Records;
using Freshet.Log.Topics;

namespace Freshet.Broker.Tests.Admin;

/// <summary>Kafka's topic settings through librdkafka (Confluent.Kafka): accepted, stored, described, and the ones that change behaviour.</summary>
public sealed class TopicConfigTests
{
    /// <summary>Every topic setting of Apache Kafka 3.x (TopicConfig and LogConfig) with a valid value that is not its default.</summary>
    public static readonly IReadOnlyDictionary<string, string> EveryKafkaTopicConfig = new Dictionary<string, string>
    {
        ["cleanup.policy"] = "compact,delete",
        ["compression.type"] = "lz4",
        ["compression.gzip.level"] = "6",
        ["compression.lz4.level"] = "4",
        ["compression.zstd.level"] = "7",
        ["delete.retention.ms"] = "3600000",
        ["file.delete.delay.ms"] = "30000",
        ["flush.messages"] = "100000",
        ["flush.ms"] = "60000",
        ["follower.replication.throttled.replicas"] = "0:1,1:1",
        ["index.interval.bytes"] = "8192",
        ["leader.replication.throttled.replicas"] = "*",
        ["local.retention.bytes"] = "1048576",
        ["local.retention.ms"] = "600000",
        ["max.compaction.lag.ms"] = "86400000",
        ["max.message.bytes"] = "2097152",
        ["message.downconversion.enable"] = "false",
        ["message.format.version"] = "2.8",
        ["message.timestamp.after.max.ms"] = "3600000",
        ["message.timestamp.before.max.ms"] = "86400000",
        ["message.timestamp.difference.max.ms"] = "86400000",
        ["message.timestamp.type"] = "LogAppendTime",
        ["min.cleanable.dirty.ratio"] = "0.25",
        ["min.compaction.lag.ms"] = "1000",
        ["min.insync.replicas"] = "2",
        ["preallocate"] = "true",
        ["remote.log.copy.disable"] = "true",
        ["remote.log.delete.on.disable"] = "true",
        ["remote.storage.enable"] = "false",
        ["retention.bytes"] = "1073741824",
        ["retention.ms"] = "172800000",
        ["segment.bytes"] = "536870912",
        ["segment.index.bytes"] = "4096",
        ["segment.jitter.ms"] = "1000",
        ["segment.ms"] = "3600000",
        ["unclean.leader.election.enable"] = "true",
    };

    [Fact]
    public async Task CreateTopics_EveryKafkaTopicConfig_AcceptedDescribedAsTopicConfigAndKeptAcrossRestart()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using (var admin = new AdminClientBuilder(harness.AdminConfig()).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = "every-config", NumPartitions = 1, ReplicationFactor = 1, Configs = new(EveryKafkaTopicConfig) }]);
            AssertDescribedAsSet(await DescribeAsync(admin, "every-config"));
        }

        await harness.RestartAsync();
        using (var admin = new AdminClientBuilder(harness.AdminConfig()).Build())
        {
            AssertDescribedAsSet(await DescribeAsync(admin, "every-config"));
        }
    }

    private static void AssertDescribedAsSet(Dictionary<string, ConfigEntryResult> entries)
    {
        foreach (var (name, value) in EveryKafkaTopicConfig)
        {
            Assert.True(entries.TryGetValue(name, out var entry), $"{name} is not described");
            Assert.Equal(value, entry.Value);

            // Given for the topic, so TOPIC_CONFIG even where the value equals the default (remote.storage.enable), as in Kafka.
            Assert.Equal(ConfigSource.DynamicTopicConfig, entry.Source);
            Assert.False(entry.IsReadOnly);
            Assert.False(entry.IsSensitive);
        }
    }

    [Fact]
    public async Task CreateTopics_StreamizInternalTopicConfigs_Created()
    {
        // What Streamiz.Kafka.Net 1.8.2 sends for a changelog and a repartition topic.
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();

        await admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = "app-store-changelog", NumPartitions = 2, ReplicationFactor = -1, Configs = new() { ["cleanup.policy"] = "compact", ["message.timestamp.type"] = "CreateTime" } },
            new TopicSpecification { Name = "app-repartition", NumPartitions = 2, ReplicationFactor = -1, Configs = new() { ["cleanup.policy"] = "delete", ["segment.bytes"] = "52428800", ["retention.ms"] = "-1", ["message.timestamp.type"] = "CreateTime" } },
        ]);

        Assert.True(harness.Store.TryDescribeTopic("app-store-changelog", out _));
        Assert.Equal(-1, harness.Store.DescribeTopic("app-repartition").Config.RetentionMs);
    }

    [Theory]
    [InlineData("no.such.config", "1", "no.such.config")]
    [InlineData("compression.type", "brotli", "compression.type")]
    [InlineData("message.timestamp.type", "createtime", "message.timestamp.type")]
    [InlineData("min.insync.replicas", "0", "min.insync.replicas")]
    [InlineData("min.cleanable.dirty.ratio", "1.5", "min.cleanable.dirty.ratio")]
    [InlineData("preallocate", "yes", "preallocate")]
    [InlineData("leader.replication.throttled.replicas", "0-1", "leader.replication.throttled.replicas")]
    [InlineData("remote.storage.enable", "true", "remote.storage.enable")]
    [InlineData("compression.gzip.level", "0", "compression.gzip.level")]
    public async Task CreateTopics_UnknownNameOrInvalidValue_InvalidConfigNamingItAndNothingCreated(string name, string value, string named)
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();

        var error = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync(
            [new TopicSpecification { Name = "refused", NumPartitions = 1, Configs = new() { [name] = value } }]));

        var result = Assert.Single(error.Results);
        Assert.Equal(ErrorCode.InvalidConfig, result.Error.Code);
        Assert.Contains(named, result.Error.Reason, StringComparison.Ordinal);
        Assert.Empty(harness.Store.ListTopics());
    }

    [Fact]
    public async Task CompressionZstd_ProducedUncompressed_StoredAsZstdAndConsumedIntact()
    {
        await using var harness = await BrokerHarness.StartAsync();
        await CreateAsync(harness, "zstd-topic", new() { ["compression.type"] = "zstd" });
        var values = Enumerable.Range(0, 300).Select(i => $"value-{i}-{new string('x', i % 40)}").ToArray();
        using (var producer = new ProducerBuilder<string, string>(harness.ProducerConfig(c => { c.CompressionType = Confluent.Kafka.CompressionType.None; c.EnableIdempotence = true; })).Build())
        {
            foreach (var value in values)
            {
                producer.Produce("zstd-topic", new Message<string, string> { Key = "k" + value.Length, Value = value });
            }

            producer.Flush(TimeSpan.FromSeconds(20));
        }

        var stored = harness.Store.GetPartition("zstd-topic", 0).Read(0, 1 << 24).Records;
        var batches = RecordBatchReader.ReadBatches(stored).ToList();
        Assert.NotEmpty(batches);
        Assert.All(batches, b => Assert.Equal(Freshet.Log.Records.CompressionType.Zstd, b.Header.Compression));
        Assert.All(batches, b => Assert.True(b.Header.HasProducerId, "the idempotent producer's id is kept"));

        var consumed = harness.ConsumeFromBeginning("zstd-topic", values.Length);
        Assert.Equal(values, consumed.Select(r => Encoding.UTF8.GetString(r.Message.Value!)));
        Assert.Equal(Enumerable.Range(0, values.Length).Select(i => (long)i), consumed.Select(r => r.Offset.Value));
    }

    [Fact]
    public async Task CompressionUncompressed_ProducedGzip_StoredUncompressed()
    {
        await using var harness = await BrokerHarness.StartAsync();
        await CreateAsync(harness, "plain-topic", new() { ["compression.type"] = "uncompressed" });
        using (var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig(c => c.CompressionType = Confluent.Kafka.CompressionType.Gzip)).Build())
        {
            for (var i = 0; i < 50; i++)
            {
                producer.Produce("plain-topic", new Message<Null, string> { Value = "v" + i });
            }

            producer.Flush(TimeSpan.FromSeconds(20));
        }

        var stored = harness.Store.GetPartition("plain-topic", 0).Read(0, 1 << 24).Records;
        Assert.All(RecordBatchReader.ReadBatches(stored), b => Assert.Equal(Freshet.Log.Records.CompressionType.None, b.Header.Compression));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => "v" + i), harness.ConsumeFromBeginning("plain-topic", 50).Select(r => Encoding.UTF8.GetString(r.Message.Value!)));
    }

    [Fact]
    public async Task LogAppendTime_ProducerGivesOldTimestamps_ConsumerAndDeliveryReportSeeTheAppendTime()
    {
        await using var harness = await BrokerHarness.StartAsync();
        await CreateAsync(harness, "append-time", new() { ["message.timestamp.type"] = "LogAppendTime", ["compression.type"] = "snappy" });
        var createTime = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        DeliveryResult<Null, string> delivery;
        using (var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig()).Build())
        {
            delivery = await producer.ProduceAsync("append-time", new Message<Null, string> { Value = "stamped", Timestamp = new Timestamp(createTime) });
            await producer.ProduceAsync("append-time", new Message<Null, string> { Value = "stamped too", Timestamp = new Timestamp(createTime) });
        }

        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(TimestampType.LogAppendTime, delivery.Timestamp.Type);
        Assert.InRange(delivery.Timestamp.UnixTimestampMs, before, after);

        var consumed = harness.ConsumeFromBeginning("append-time", 2);
        Assert.Equal(2, consumed.Count);
        Assert.All(consumed, r =>
        {
            Assert.Equal(TimestampType.LogAppendTime, r.Message.Timestamp.Type);
            Assert.InRange(r.Message.Timestamp.UnixTimestampMs, before, after);
        });
    }

    [Fact]
    public async Task TimestampBeforeMax_RecordOlderThanAllowed_InvalidTimestamp()
    {
        await using var harness = await BrokerHarness.StartAsync();
        await CreateAsync(harness, "recent-only", new() { ["message.timestamp.before.max.ms"] = "3600000" });
        using var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig()).Build();

        var refused = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync(
            "recent-only", new Message<Null, string> { Value = "old", Timestamp = new Timestamp(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc)) }));
        var accepted = await producer.ProduceAsync("recent-only", new Message<Null, string> { Value = "now" });

        Assert.Equal(ErrorCode.InvalidTimestamp, refused.Error.Code);
        Assert.Equal(0, accepted.Offset.Value);
    }

    [Fact]
    public async Task DescribeConfigs_Topic_DefaultsAndOverridesWithKafkaSourcesAndTypes()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await CreateAsync(harness, "described", new() { ["compression.type"] = "gzip" });

        var entries = await DescribeAsync(admin, "described");

        Assert.Equal(TopicConfig.Names.OrderBy(n => n, StringComparer.Ordinal), entries.Keys.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(ConfigSource.DynamicTopicConfig, entries["compression.type"].Source);
        Assert.False(entries["compression.type"].IsDefault);
        Assert.Equal("CreateTime", entries["message.timestamp.type"].Value);
        Assert.Equal(ConfigSource.DefaultConfig, entries["message.timestamp.type"].Source);
        Assert.True(entries["message.timestamp.type"].IsDefault);
        Assert.Equal("9223372036854775807", entries["max.compaction.lag.ms"].Value);
        Assert.Equal("0.5", entries["min.cleanable.dirty.ratio"].Value);
    }

    private static async Task CreateAsync(BrokerHarness harness, string topic, Dictionary<string, string> configs)
    {
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1, Configs = configs }]);
    }

    private static async Task<Dictionary<string, ConfigEntryResult>> DescribeAsync(IAdminClient admin, string topic)
    {
        var described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }]);
        return described.Single().Entries;
    }
}
