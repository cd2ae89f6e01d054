using Freshet.Log.Durability;
using Freshet.Log.Tests.TestSupport;
using Freshet.Log.Topics;

namespace Freshet.Log.Tests;

/// <summary>Topic administration on <see cref="LogStore"/>, persistence across reopen, and the directory lock.</summary>
public sealed class LogStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void CreateTopic_ValidArguments_ListedAndDescribed()
    {
        using var store = TestLogs.Open(_directory.Path);
        var config = new TopicConfig { SegmentBytes = 4096, RetentionMs = 60_000 };

        var created = store.CreateTopic("orders.v1_eu-west", 3, config);

        Assert.Equal("orders.v1_eu-west", created.Name);
        Assert.Equal(3, created.Partitions.Count);
        Assert.Equal(config, created.Config);
        Assert.All(created.Partitions, p => Assert.Equal((0L, 0L, 0L), (p.LogStartOffset, p.HighWatermark, p.LogEndOffset)));
        Assert.Equal(["orders.v1_eu-west"], store.ListTopics());
        Assert.True(store.TryDescribeTopic("orders.v1_eu-west", out var described));
        Assert.Equal(created.TopicId, described.TopicId);
        Assert.Equal(2, store.GetPartition("orders.v1_eu-west", 2).Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("tëst")]
    [InlineData("../escape")]
    public void CreateTopic_InvalidName_ThrowsInvalidTopic(string name)
    {
        using var store = TestLogs.Open(_directory.Path);
        Assert.Equal(LogErrorCode.InvalidTopic, Assert.Throws<LogException>(() => store.CreateTopic(name, 1)).ErrorCode);
        Assert.Empty(store.ListTopics());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_directory.Path, "topics")));
    }

    [Fact]
    public void CreateTopic_NameTooLong_ThrowsInvalidTopic()
    {
        using var store = TestLogs.Open(_directory.Path);
        store.CreateTopic(new string('x', TopicNames.MaxLength), 1);
        Assert.Equal(LogErrorCode.InvalidTopic, Assert.Throws<LogException>(() => store.CreateTopic(new string('x', TopicNames.MaxLength + 1), 1)).ErrorCode);
    }

    [Fact]
    public void CreateTopic_Duplicate_ThrowsTopicAlreadyExistsAndKeepsOriginal()
    {
        using var store = TestLogs.Open(_directory.Path);
        var original = store.CreateTopic("t", 2);
        store.GetPartition("t", 0).Append(TestLogs.Batch(0, 1, ManualClock.DefaultStartMs));

        Assert.Equal(LogErrorCode.TopicAlreadyExists, Assert.Throws<LogException>(() => store.CreateTopic("t", 5)).ErrorCode);

        var now = store.DescribeTopic("t");
        Assert.Equal(original.TopicId, now.TopicId);
        Assert.Equal(2, now.Partitions.Count);
        Assert.Equal(1, now.Partitions[0].LogEndOffset);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100_001)]
    public void CreateTopic_BadPartitionCount_ThrowsInvalidPartitions(int partitions)
    {
        using var store = TestLogs.Open(_directory.Path);
        Assert.Equal(LogErrorCode.InvalidPartitions, Assert.Throws<LogException>(() => store.CreateTopic("t", partitions)).ErrorCode);
        Assert.Empty(store.ListTopics());
    }

    public static TheoryData<string, TopicConfig> BadConfigs => new()
    {
        { "segment.bytes", new TopicConfig { SegmentBytes = 1023 } },
        { "segment.ms", new TopicConfig { SegmentMs = 0 } },
        { "retention.ms", new TopicConfig { RetentionMs = -2 } },
        { "cleanup.policy", new TopicConfig { CleanupPolicy = 0 } },
        { "cleanup.policy", new TopicConfig { CleanupPolicy = (CleanupPolicy)4 } },
        { "delete.retention.ms", new TopicConfig { DeleteRetentionMs = -1 } },
        { "max.message.bytes", new TopicConfig { MaxBatchBytes = 60 } },
        { "index.interval.bytes", new TopicConfig { IndexIntervalBytes = -1 } },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void CreateTopic_BadConfig_ThrowsInvalidConfigNamingSetting(string setting, TopicConfig config)
    {
        using var store = TestLogs.Open(_directory.Path);
        var error = Assert.Throws<LogException>(() => store.CreateTopic("t", 1, config));
        Assert.Equal(LogErrorCode.InvalidConfig, error.ErrorCode);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.Empty(store.ListTopics());
    }

    [Fact]
    public void AlterTopicConfig_ValidSettings_AppliedAndPersisted()
    {
        using (var store = TestLogs.Open(_directory.Path))
        {
            store.CreateTopic("t", 1);
            var altered = store.AlterTopicConfig("t", [new("retention.ms", "1000"), new("flush.policy", "bytes:100"), new("cleanup.policy", "compact,delete")]);
            Assert.Equal(1000, altered.Config.RetentionMs);
            Assert.Equal(1000, store.GetPartition("t", 0).Config.RetentionMs);
        }

        using (var store = TestLogs.Open(_directory.Path))
        {
            var config = store.DescribeTopic("t").Config;
            Assert.Equal(1000, config.RetentionMs);
            Assert.Equal(FlushPolicy.Bytes(100), config.FlushPolicy);
            Assert.Equal(CleanupPolicy.Compact | CleanupPolicy.Delete, config.CleanupPolicy);
        }
    }

    [Fact]
    public void ReplaceTopicConfig_NewOverrides_OthersBackToDefaultsAndPersisted()
    {
        using (var store = TestLogs.Open(_directory.Path))
        {
            store.CreateTopic("t", 1, TopicConfig.Default with { RetentionMs = 1000 });
            store.AlterTopicConfig("t", [new("retention.ms", "1000")]);
            var replaced = store.ReplaceTopicConfig("t", [new("max.message.bytes", "2048")], TopicConfig.Default);
            Assert.Equal(TopicConfig.Default.RetentionMs, replaced.Config.RetentionMs);
            Assert.Equal(2048, store.GetPartition("t", 0).Config.MaxBatchBytes);
            Assert.Equal(["max.message.bytes"], replaced.OverriddenSettings);
            Assert.Equal(LogErrorCode.InvalidConfig, Assert.Throws<LogException>(() => store.ReplaceTopicConfig("t", [new("retention.ms", "soon")], TopicConfig.Default)).ErrorCode);
        }

        using (var store = TestLogs.Open(_directory.Path))
        {
            var topic = store.DescribeTopic("t");
            Assert.Equal(TopicConfig.Default with { MaxBatchBytes = 2048 }, topic.Config);
            Assert.Equal(["max.message.bytes"], topic.OverriddenSettings);
        }
    }

    [Theory]
    [InlineData("segment.bytes", "12")]
    [InlineData("segment.bytes", "lots")]
    [InlineData("flush.policy", "sometimes")]
    [InlineData("no.such.setting", "1")]
    public void AlterTopicConfig_BadSetting_ThrowsInvalidConfigAndKeepsOldConfig(string name, string value)
    {
        using var store = TestLogs.Open(_directory.Path);
        store.CreateTopic("t", 1);
        Assert.Equal(LogErrorCode.InvalidConfig, Assert.Throws<LogException>(() => store.AlterTopicConfig("t", [new(name, value)])).ErrorCode);
        Assert.Equal(TopicConfig.Default, store.DescribeTopic("t").Config);
    }

    [Fact]
    public void DeleteTopic_Existing_GoneFromListDiskAndAfterReopen()
    {
        using (var store = TestLogs.Open(_directory.Path))
        {
            store.CreateTopic("keep", 1);
            store.CreateTopic("drop", 2);
            var dropped = store.GetPartition("drop", 1);
            dropped.Append(TestLogs.Batch(0, 2, ManualClock.DefaultStartMs));

            store.DeleteTopic("drop");

            Assert.Equal(["keep"], store.ListTopics());
            Assert.False(store.TryGetPartition("drop", 0, out _));
            Assert.Equal(LogErrorCode.UnknownTopicOrPartition, Assert.Throws<LogException>(() => store.DescribeTopic("drop")).ErrorCode);
            Assert.Throws<ObjectDisposedException>(() => dropped.Append(TestLogs.Batch(0, 1, ManualClock.DefaultStartMs)));
            Assert.Equal(["keep"], Directory.EnumerateDirectories(Path.Combine(_directory.Path, "topics")).Select(Path.GetFileName));
        }

        using (var store = TestLogs.Open(_directory.Path))
        {
            Assert.Equal(["keep"], store.ListTopics());
            store.CreateTopic("drop", 1);
            Assert.Equal(0, store.GetPartition("drop", 0).LogEndOffset);
        }
    }

    [Fact]
    public void DeleteTopic_Unknown_ThrowsUnknownTopicOrPartition()
    {
        using var store = TestLogs.Open(_directory.Path);
        Assert.Equal(LogErrorCode.UnknownTopicOrPartition, Assert.Throws<LogException>(() => store.DeleteTopic("nope")).ErrorCode);
    }

    [Theory]
    [InlineData("nope", 0)]
    [InlineData("t", 2)]
    [InlineData("t", -1)]
    public void GetPartition_Unknown_ThrowsUnknownTopicOrPartition(string topic, int partition)
    {
        using var store = TestLogs.Open(_directory.Path);
        store.CreateTopic("t", 2);
        Assert.False(store.TryGetPartition(topic, partition, out _));
        Assert.Equal(LogErrorCode.UnknownTopicOrPartition, Assert.Throws<LogException>(() => store.GetPartition(topic, partition)).ErrorCode);
    }

    [Fact]
    public void CreatePartitions_MoreThanBefore_AddsEmptyPartitionsKeepingData()
    {
        using (var store = TestLogs.Open(_directory.Path))
        {
            store.CreateTopic("t", 1);
            store.GetPartition("t", 0).Append(TestLogs.Batch(0, 3, ManualClock.DefaultStartMs));
            Assert.Equal(4, store.CreatePartitions("t", 4).Partitions.Count);
            Assert.Equal(LogErrorCode.InvalidPartitions, Assert.Throws<LogException>(() => store.CreatePartitions("t", 4)).ErrorCode);
            Assert.Equal(LogErrorCode.InvalidPartitions, Assert.Throws<LogException>(() => store.CreatePartitions("t", 2)).ErrorCode);
        }

        using (var store = TestLogs.Open(_directory.Path))
        {
            var partitions = store.DescribeTopic("t").Partitions;
            Assert.Equal([3L, 0L, 0L, 0L], partitions.Select(p => p.LogEndOffset));
        }
    }

    [Fact]
    public void Open_AfterDispose_TopicsIdsConfigsAndRecordsPersist()
    {
        Guid id;
        using (var store = TestLogs.Open(_directory.Path))
        {
            id = store.CreateTopic("t", 2, new TopicConfig { SegmentBytes = 1024 }).TopicId;
            var partition = store.GetPartition("t", 1);
            for (var i = 0; i < 20; i++)
            {
                partition.Append(TestLogs.Batch(i * 2, 2, ManualClock.DefaultStartMs));
            }
        }

        using (var store = TestLogs.Open(_directory.Path))
        {
            Assert.Empty(store.RecoveryReport);
            var description = store.DescribeTopic("t");
            Assert.Equal(id, description.TopicId);
            Assert.Equal(1024, description.Config.SegmentBytes);
            var partition = store.GetPartition("t", 1);
            Assert.True(partition.SegmentCount > 1);
            TestLogs.AssertNumbered(TestLogs.ReadAll(partition), 0, 0, 40);
            Assert.Equal(0, store.GetPartition("t", 0).LogEndOffset);
        }
    }

    [Fact]
    public void Open_DirectoryAlreadyOpen_ThrowsKafkaStorageErrorUntilFirstIsDisposed()
    {
        var first = TestLogs.Open(_directory.Path);
        first.CreateTopic("t", 1);

        var error = Assert.Throws<LogException>(() => TestLogs.Open(_directory.Path));
        Assert.Equal(LogErrorCode.KafkaStorageError, error.ErrorCode);
        Assert.Contains(_directory.Path, error.Message, StringComparison.Ordinal);

        // The refused open must not have disturbed the owner.
        first.GetPartition("t", 0).Append(TestLogs.Batch(0, 1, ManualClock.DefaultStartMs));
        first.Dispose();

        using var second = TestLogs.Open(_directory.Path);
        Assert.Equal(1, second.GetPartition("t", 0).LogEndOffset);
    }

    [Fact]
    public void Open_TopicDirectoryWithoutMetadata_IgnoredAndReported()
    {
        Directory.CreateDirectory(Path.Combine(_directory.Path, "topics", "half-created", "0"));

        using var store = TestLogs.Open(_directory.Path);

        Assert.Empty(store.ListTopics());
        Assert.Contains(store.RecoveryReport, l => l.Contains("half-created", StringComparison.Ordinal));
    }

    public void Dispose() => _directory.Dispose();
}
