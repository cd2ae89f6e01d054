using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Configuration;
using Freshet.Broker.Tests.Support;
using Freshet.Log.Topics;

namespace Freshet.Broker.Tests.Configuration;

/// <summary>Kafka-named broker settings: the properties file, the table's rules, and DescribeConfigs of the broker through librdkafka.</summary>
public sealed class BrokerConfigurationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-broker-config-" + Guid.NewGuid().ToString("N"));

    public BrokerConfigurationTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void LoadFile_KafkaServerProperties_MapsOntoOptionsAndTopicDefaults()
    {
        var file = Write(
            "# A Kafka-style file",
            "! also a comment",
            "node.id=7",
            "listeners=PLAINTEXT://127.0.0.1:19092",
            "log.dirs=/var/lib/freshet",
            "num.partitions=4",
            "auto.create.topics.enable = false",
            "socket.request.max.bytes: 2097152",
            "group.initial.rebalance.delay.ms 0",
            "log.retention.hours=2",
            "log.segment.bytes=1048576",
            "log.cleanup.policy=compact,\\",
            "    delete",
            "message.max.bytes=2000000",
            "log.message.timestamp.type=LogAppendTime",
            "compression.type=zstd");

        var options = BrokerConfiguration.LoadFile(file);

        Assert.Equal((7, "127.0.0.1", 19092, "/var/lib/freshet"), (options.NodeId, options.Host, options.Port, options.DataDirectory));
        Assert.Equal((4, false, 2097152, 0), (options.DefaultPartitions, options.AutoCreateTopics, options.MaxFrameBytes, options.GroupInitialRebalanceDelayMs));
        var topics = options.DefaultTopicConfig!;
        Assert.Equal(2 * 3_600_000, topics.RetentionMs);
        Assert.Equal(1048576, topics.SegmentBytes);
        Assert.Equal(CleanupPolicy.Compact | CleanupPolicy.Delete, topics.CleanupPolicy);
        Assert.Equal(2000000, topics.MaxBatchBytes);
        Assert.Equal(MessageTimestampType.LogAppendTime, topics.MessageTimestampType);
        Assert.Equal(TopicCompression.Zstd, topics.Compression);
    }

    [Fact]
    public void Apply_SeveralUnitsOfOneSetting_TheFinestWinsWhateverTheOrder()
    {
        var options = BrokerConfiguration.Apply(new BrokerOptions(), [new("log.retention.ms", "1234"), new("log.retention.hours", "5"), new("log.retention.minutes", "3")]);
        var minutes = BrokerConfiguration.Apply(new BrokerOptions(), [new("log.retention.minutes", "3"), new("log.retention.hours", "5")]);

        Assert.Equal(1234, options.DefaultTopicConfig!.RetentionMs);
        Assert.Equal(180_000, minutes.DefaultTopicConfig!.RetentionMs);
    }

    [Theory]
    [InlineData("zookeeper.connect", "localhost:2181", "Unknown broker setting 'zookeeper.connect'")]
    [InlineData("num.partitions", "0", "'num.partitions'")]
    [InlineData("num.partitions", "many", "'num.partitions'")]
    [InlineData("auto.create.topics.enable", "yes", "'auto.create.topics.enable'")]
    [InlineData("listeners", "PLAINTEXT://127.0.0.1:9092,PLAINTEXT://127.0.0.1:9093", "'listeners'")]
    [InlineData("listeners", "PLAINTEXT://broker.example:9092", "'listeners'")]
    [InlineData("log.dirs", "/a,/b", "'log.dirs'")]
    [InlineData("log.segment.bytes", "12", "'log.segment.bytes'")]
    [InlineData("log.message.timestamp.type", "Now", "'log.message.timestamp.type'")]
    [InlineData("socket.request.max.bytes", "10", "'socket.request.max.bytes'")]
    public void Apply_UnknownNameOrBadValue_RefusedNamingTheSetting(string name, string value, string expected)
    {
        var error = Assert.Throws<BrokerConfigurationException>(() => BrokerConfiguration.Apply(new BrokerOptions(), [new(name, value)]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_UnknownKey_NamesFileLineAndKey()
    {
        var file = Write("num.partitions=2", "", "process.roles=broker,controller");

        var error = Assert.Throws<BrokerConfigurationException>(() => BrokerConfiguration.LoadFile(file));

        Assert.Contains($"{file}, line 3: unknown broker setting 'process.roles'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_Missing_OneSentenceNamingTheFile()
    {
        var missing = Path.Combine(_directory, "nope.properties");

        var error = Assert.Throws<BrokerConfigurationException>(() => BrokerConfiguration.LoadFile(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_EscapesAndLastValueWins()
    {
        var file = Write("log.dirs=/data/with\\ space", "num.partitions=2", "num.partitions=3", "log.message.format.version=\\u0033.0");

        var options = BrokerConfiguration.LoadFile(file);

        Assert.Equal("/data/with space", options.DataDirectory);
        Assert.Equal(3, options.DefaultPartitions);
        Assert.Equal("3.0", options.DefaultTopicConfig!.MessageFormatVersion);
    }

    [Fact]
    public void Names_EveryTopicDefaultSynonymIsATopicSetting()
    {
        Assert.Contains("num.partitions", BrokerConfiguration.Names);
        Assert.Contains("auto.create.topics.enable", BrokerConfiguration.Names);
        Assert.Equal(BrokerConfiguration.Names.Count, BrokerConfiguration.Names.Distinct().Count());
    }

    [Fact]
    public async Task AutoCreatedTopic_FromAFile_GetsNumPartitionsAndTheFilesTopicDefaults()
    {
        var options = BrokerConfiguration.LoadFile(Write("num.partitions=4", "log.retention.ms=3600000", "compression.type=lz4"));
        await using var harness = await BrokerHarness.StartAsync(options);
        using (var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig()).Build())
        {
            await producer.ProduceAsync("from-file", new Message<Null, string> { Value = "hello" });
        }

        var described = harness.Store.DescribeTopic("from-file");
        Assert.Equal(4, described.Partitions.Count);
        Assert.Equal(3_600_000, described.Config.RetentionMs);
        Assert.Equal(TopicCompression.Lz4, described.Config.Compression);
        Assert.Empty(described.OverriddenSettings);
    }

    [Fact]
    public async Task AutoCreationDisabled_ProducerToUnknownTopic_RefusedAndNothingCreated()
    {
        var options = BrokerConfiguration.Apply(new BrokerOptions(), [new("auto.create.topics.enable", "false")]);
        await using var harness = await BrokerHarness.StartAsync(options);
        using var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig(c =>
        {
            c.MessageTimeoutMs = 5_000;
            c.TopicMetadataPropagationMaxMs = 500;
        })).Build();

        var error = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync("not-there", new Message<Null, string> { Value = "x" }));

        Assert.Contains(error.Error.Code, new[] { ErrorCode.UnknownTopicOrPart, ErrorCode.Local_UnknownTopic });
        Assert.Empty(harness.Store.ListTopics());
    }

    [Fact]
    public async Task DescribeConfigs_Broker_EverySettingWithKafkaNamesSourcesAndReadOnlyFlags()
    {
        var options = BrokerConfiguration.Apply(new BrokerOptions(), [new("num.partitions", "4"), new("log.retention.hours", "48")]);
        await using var harness = await BrokerHarness.StartAsync(options);
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();

        var described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = harness.Broker.NodeId.ToString(System.Globalization.CultureInfo.InvariantCulture) }]);
        var entries = described.Single().Entries;

        Assert.Equal(BrokerConfiguration.Names.Order(StringComparer.Ordinal), entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("4", ConfigSource.StaticBrokerConfig, true), (entries["num.partitions"].Value, entries["num.partitions"].Source, entries["num.partitions"].IsReadOnly));
        Assert.Equal(("true", ConfigSource.DefaultConfig, true), (entries["auto.create.topics.enable"].Value, entries["auto.create.topics.enable"].Source, entries["auto.create.topics.enable"].IsReadOnly));
        Assert.Equal(("172800000", ConfigSource.StaticBrokerConfig, false), (entries["log.retention.ms"].Value, entries["log.retention.ms"].Source, entries["log.retention.ms"].IsReadOnly));
        Assert.Equal("48", entries["log.retention.hours"].Value);
        Assert.Equal(("1073741824", ConfigSource.DefaultConfig), (entries["log.segment.bytes"].Value, entries["log.segment.bytes"].Source));
        Assert.Equal($"PLAINTEXT://127.0.0.1:{harness.Broker.Port}", entries["listeners"].Value);
        Assert.All(entries.Values, e => Assert.False(e.IsSensitive));
    }

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".properties");
        File.WriteAllLines(path, lines);
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
