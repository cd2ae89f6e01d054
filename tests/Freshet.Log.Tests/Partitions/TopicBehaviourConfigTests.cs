using System.Text.Json.Nodes;
using Freshet.Log.Records;
using Freshet.Log.Tests.TestSupport;
using Freshet.Log.Topics;

namespace Freshet.Log.Tests.Partitions;

/// <summary>
/// Topic settings that change what an append stores: <c>compression.type</c>, <c>message.timestamp.type</c>,
/// the timestamp bounds, <c>flush.messages</c> / <c>flush.ms</c>, and <c>min.compaction.lag.ms</c>; and how
/// topic settings persist (every setting plus the chosen names; older files still open).
/// </summary>
public sealed class TopicBehaviourConfigTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualClock _clock = new();
    private LogStore _store;

    public TopicBehaviourConfigTests()
    {
        _store = TestLogs.Open(_directory.Path, _clock);
    }

    [Theory]
    [InlineData("zstd", CompressionType.None, CompressionType.Zstd)]
    [InlineData("gzip", CompressionType.Lz4, CompressionType.Gzip)]
    [InlineData("snappy", CompressionType.Zstd, CompressionType.Snappy)]
    [InlineData("lz4", CompressionType.Gzip, CompressionType.Lz4)]
    [InlineData("uncompressed", CompressionType.Snappy, CompressionType.None)]
    [InlineData("producer", CompressionType.Snappy, CompressionType.Snappy)]
    public void Append_TopicCompression_StoresBatchesInTheTopicsCodecWithRecordsIntact(string topicCodec, CompressionType sent, CompressionType stored)
    {
        var partition = TestLogs.CreatePartition(_store, TopicConfig.Default.With([new("compression.type", topicCodec)]));
        var records = new[]
        {
            new LogRecord(_clock.NowMs, [1], [2], [new RecordHeader("h", [3])]),
            new LogRecord(_clock.NowMs - 10, null, null),
            new LogRecord(_clock.NowMs + 10, [], new byte[5000]),
        };

        partition.Append(RecordBatchBuilder.Build(records, sent));
        partition.Append(RecordBatchBuilder.Build(records, sent));

        var batches = RecordBatchReader.ReadBatches(partition.Read(0, 1 << 20).Records).ToList();
        Assert.Equal(2, batches.Count);
        Assert.All(batches, b => Assert.Equal(stored, b.Header.Compression));
        Assert.Equal([0L, 3L], batches.Select(b => b.Header.BaseOffset));
        var expected = records.Concat(records).Select((r, i) => new LogRecord(r.Timestamp, r.Key, r.Value, r.Headers) { Offset = i }).ToList();
        Records.RecordAssert.Equal(expected, TestLogs.ReadAll(partition));
    }

    [Theory]
    [InlineData("gzip", "compression.gzip.level", "1", "9")]
    [InlineData("lz4", "compression.lz4.level", "1", "12")]
    [InlineData("zstd", "compression.zstd.level", "-5", "19")]
    public void Append_TopicCompressionLevel_HigherLevelStoresFewerBytes(string codec, string setting, string low, string high)
    {
        var random = new Random(3);
        var words = new[] { "sensor", "reading", "temperature", "humidity", "pressure", "station", "north", "south" };
        var records = Enumerable.Range(0, 400).Select(i => new LogRecord(_clock.NowMs, null, System.Text.Encoding.ASCII.GetBytes(
            string.Join(' ', Enumerable.Range(0, 12).Select(_ => words[random.Next(words.Length)] + random.Next(100)))))).ToArray();
        var batch = RecordBatchBuilder.Build(records);

        long StoredBytes(string level)
        {
            var topic = $"{codec}-{level}";
            _store.CreateTopic(topic, 1, TopicConfig.Default.With([new("compression.type", codec), new(setting, level)]));
            var partition = _store.GetPartition(topic, 0);
            partition.Append(batch);
            return RecordBatchReader.ReadBatches(partition.Read(0, 1 << 22).Records).Single().Bytes.Length;
        }

        Assert.True(StoredBytes(high) < StoredBytes(low), $"{setting}={high} should store fewer bytes than {low}");
    }

    [Fact]
    public void Append_RecompressedIdempotentTransactionalBatch_KeepsProducerFieldsAndDuplicateDetection()
    {
        var partition = TestLogs.CreatePartition(_store, TopicConfig.Default.With([new("compression.type", "zstd")]));
        var builder = new RecordBatchBuilder(CompressionType.None) { ProducerId = 42, ProducerEpoch = 3, BaseSequence = 0 };
        builder.Add(_clock.NowMs, [1], [1]);
        builder.Add(_clock.NowMs, [2], [2]);
        var batch = builder.Build();

        var first = partition.Append(batch);
        var resent = partition.Append(batch);

        Assert.False(first.IsDuplicate);
        Assert.True(resent.IsDuplicate);
        Assert.Equal(first.BaseOffset, resent.BaseOffset);
        var header = RecordBatchReader.ReadBatches(partition.Read(0, 1 << 20).Records).Single().Header;
        Assert.Equal((CompressionType.Zstd, 42L, (short)3, 0), (header.Compression, header.ProducerId, header.ProducerEpoch, header.BaseSequence));
        Assert.Equal(2, partition.LogEndOffset);
    }

    [Fact]
    public void Append_RecompressedBatchAboveMaxMessageBytes_MessageTooLargeAndNothingStored()
    {
        // Random bytes do not compress; gzip's framing makes the stored batch larger than the one sent.
        var value = new byte[2000];
        new Random(7).NextBytes(value);
        var sent = RecordBatchBuilder.Build([new LogRecord(_clock.NowMs, null, value)]);
        var partition = TestLogs.CreatePartition(_store, TopicConfig.Default.With([new("compression.type", "gzip"), new("max.message.bytes", sent.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))]));

        var error = Assert.Throws<LogException>(() => partition.Append(sent));

        Assert.Equal(LogErrorCode.MessageTooLarge, error.ErrorCode);
        Assert.Equal(0, partition.LogEndOffset);
    }

    [Fact]
    public void Append_LogAppendTime_BatchStampedWithAppendTimeValidCrcAndReadersSeeIt()
    {
        var partition = TestLogs.CreatePartition(_store, TopicConfig.Default.With([new("message.timestamp.type", "LogAppendTime")]));
        var sent = RecordBatchBuilder.Build([new LogRecord(1_000, [1], [1]), new LogRecord(2_000, [2], [2])]);
        var copy = sent.ToArray();
        _clock.Advance(5);

        var result = partition.Append(sent);

        Assert.True(result.IsLogAppendTime);
        Assert.Equal(_clock.NowMs, result.LogAppendTimeMs);
        Assert.Equal(copy, sent);
        var (header, bytes) = RecordBatchReader.ReadBatches(partition.Read(0, 1 << 20).Records).Single();
        Assert.True(header.IsLogAppendTime);
        Assert.Equal(_clock.NowMs, header.MaxTimestamp);
        Assert.Equal(header.Crc, RecordBatchHeader.ComputeCrc(bytes.Span));
        Assert.All(TestLogs.ReadAll(partition), r => Assert.Equal(_clock.NowMs, r.Timestamp));
        Assert.True(partition.TryFindOffsetByTimestamp(_clock.NowMs, out var offset));
        Assert.Equal(0, offset);
    }

    [Fact]
    public void Append_CreateTime_ResultDoesNotClaimLogAppendTime()
    {
        var partition = TestLogs.CreatePartition(_store);

        var result = partition.Append(TestLogs.Batch(0, 1, 1_000));

        Assert.False(result.IsLogAppendTime);
        Assert.False(RecordBatchReader.ReadBatches(partition.Read(0, 1 << 20).Records).Single().Header.IsLogAppendTime);
    }

    [Theory]
    [InlineData("message.timestamp.before.max.ms", -3_600_001, false)]
    [InlineData("message.timestamp.before.max.ms", -3_600_000, true)]
    [InlineData("message.timestamp.after.max.ms", 3_600_001, false)]
    [InlineData("message.timestamp.after.max.ms", 3_600_000, true)]
    [InlineData("message.timestamp.difference.max.ms", -3_600_001, false)]
    [InlineData("message.timestamp.difference.max.ms", 3_600_001, false)]
    [InlineData("message.timestamp.difference.max.ms", 3_600_000, true)]
    public void Append_TimestampBounds_RecordOutsideRefusedWithInvalidTimestamp(string setting, long offsetFromNowMs, bool accepted)
    {
        var partition = TestLogs.CreatePartition(_store, TopicConfig.Default.With([new(setting, "3600000")]));
        var batch = RecordBatchBuilder.Build([new LogRecord(_clock.NowMs, [1], [1]), new LogRecord(_clock.NowMs + offsetFromNowMs, [2], [2])], CompressionType.Lz4);

        if (accepted)
        {
            partition.Append(batch);
            Assert.Equal(2, partition.LogEndOffset);
        }
        else
        {
            Assert.Equal(LogErrorCode.InvalidTimestamp, Assert.Throws<LogException>(() => partition.Append(batch)).ErrorCode);
            Assert.Equal(0, partition.LogEndOffset);
        }
    }

    [Fact]
    public void Append_TimestampBoundsOnLogAppendTimeTopic_NotChecked()
    {
        var partition = TestLogs.CreatePartition(_store, TopicConfig.Default.With([new("message.timestamp.type", "LogAppendTime"), new("message.timestamp.before.max.ms", "1")]));

        partition.Append(TestLogs.Batch(0, 1, 1_000));

        Assert.Equal(1, partition.LogEndOffset);
    }

    [Theory]
    [InlineData("flush.messages", "3", new[] { false, false, true, false, false, true })]
    [InlineData("flush.messages", "1", new[] { true, true, true })]
    [InlineData("flush.ms", "0", new[] { true, true })]
    public void Append_KafkaFlushSettings_FlushWhenDue(string setting, string value, bool[] durableAfterEach)
    {
        var partition = TestLogs.CreatePartition(_store, TopicConfig.Default.With([new(setting, value)]));

        var durable = durableAfterEach.Select((_, i) => partition.Append(TestLogs.Batch(i, 1, _clock.NowMs)).IsDurable).ToArray();

        Assert.Equal(durableAfterEach, durable);
    }

    [Fact]
    public void Append_FlushMs_DueOnceTheOldestUnflushedAppendIsThatOld()
    {
        var partition = TestLogs.CreatePartition(_store, TopicConfig.Default.With([new("flush.ms", "1000")]));

        var first = partition.Append(TestLogs.Batch(0, 1, _clock.NowMs)).IsDurable;
        _clock.Advance(1000);
        var second = partition.Append(TestLogs.Batch(1, 1, _clock.NowMs)).IsDurable;

        Assert.False(first);
        Assert.True(second);
        Assert.Equal(2, partition.DurableEndOffset);
    }

    [Fact]
    public void Compaction_MinCompactionLag_YoungSegmentsKeptUntilOldEnough()
    {
        var partition = TestLogs.CreatePartition(_store, TopicConfig.Default.With([new("cleanup.policy", "compact"), new("min.compaction.lag.ms", "60000")]));
        partition.Append(RecordBatchBuilder.Build([new LogRecord(_clock.NowMs, [1], [1])]));
        partition.Roll();
        partition.Append(RecordBatchBuilder.Build([new LogRecord(_clock.NowMs, [1], [2])]));
        partition.Roll();
        partition.Append(RecordBatchBuilder.Build([new LogRecord(_clock.NowMs, [9], [9])]));

        _store.RunMaintenance();
        var whileYoung = Compaction.LogFixture.ReadAll(partition).Count;
        _clock.Advance(60_000);
        _store.RunMaintenance();
        var once = Compaction.LogFixture.ReadAll(partition).Select(r => r.Offset).ToList();

        Assert.Equal(3, whileYoung);
        Assert.Equal([1L, 2L], once);
    }

    [Fact]
    public void Reopen_TopicSettingsAndChosenNames_KeptWhateverTheOpenersDefaults()
    {
        _store.CreateTopic("kept", 1, TopicConfig.Default.With([new("compression.type", "gzip"), new("retention.ms", "1000")]));
        _store.Dispose();

        // Opened with other defaults: the topic keeps what it was created with.
        _store = LogStore.Open(_directory.Path, TestLogs.Options(_clock) with { DefaultTopicConfig = TopicConfig.Default.With([new("retention.ms", "5"), new("segment.ms", "99")]) });
        var described = _store.DescribeTopic("kept");

        Assert.Equal(TopicCompression.Gzip, described.Config.Compression);
        Assert.Equal(1000, described.Config.RetentionMs);
        Assert.Equal(TopicConfig.Default.SegmentMs, described.Config.SegmentMs);
        Assert.Equal(["compression.type", "retention.ms"], described.OverriddenSettings);
    }

    [Fact]
    public void Open_TopicJsonWrittenBeforeOverrideNamesWereKept_OpensWithItsSettings()
    {
        _store.CreateTopic("old", 2);
        _store.Dispose();

        // The form older versions wrote: the nine settings they knew, no list of chosen names.
        var path = Path.Combine(_directory.Path, "topics", "old", "topic.json");
        var document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        document.Remove("overrides");
        document["config"] = new JsonObject
        {
            ["segment.bytes"] = "1073741824", ["segment.ms"] = "604800000", ["retention.ms"] = "3600000",
            ["retention.bytes"] = "-1", ["cleanup.policy"] = "delete", ["delete.retention.ms"] = "86400000",
            ["max.message.bytes"] = "1048588", ["index.interval.bytes"] = "4096", ["flush.policy"] = "os",
        };
        File.WriteAllText(path, document.ToJsonString());

        _store = TestLogs.Open(_directory.Path, _clock);
        var described = _store.DescribeTopic("old");

        Assert.Equal(2, described.Partitions.Count);
        Assert.Equal(3_600_000, described.Config.RetentionMs);
        Assert.Equal(TopicCompression.Producer, described.Config.Compression);
        Assert.Equal(["retention.ms"], described.OverriddenSettings);
    }

    [Fact]
    public void TopicJson_TopicWithOnlyOlderSettings_HoldsTheNineSettingsOlderVersionsRead()
    {
        _store.CreateTopic("plain", 1, TopicConfig.Default.With([new("retention.ms", "1000")]));
        _store.CreateTopic("zstd", 1, TopicConfig.Default.With([new("compression.type", "zstd")]));

        string[] Stored(string topic) =>
            [.. JsonNode.Parse(File.ReadAllText(Path.Combine(_directory.Path, "topics", topic, "topic.json")))!["config"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

        string[] nine = ["cleanup.policy", "delete.retention.ms", "flush.policy", "index.interval.bytes", "max.message.bytes", "retention.bytes", "retention.ms", "segment.bytes", "segment.ms"];
        Assert.Equal(nine, Stored("plain"));
        Assert.Equal(nine.Append("compression.type").Order(StringComparer.Ordinal), Stored("zstd"));
    }

    [Fact]
    public void AlterTopicConfig_NamesGiven_BecomeOverridesAndPersist()
    {
        _store.CreateTopic("altered", 1);
        _store.AlterTopicConfig("altered", [new("message.timestamp.type", "CreateTime"), new("min.insync.replicas", "2")]);
        _store.Dispose();

        _store = TestLogs.Open(_directory.Path, _clock);
        var described = _store.DescribeTopic("altered");

        Assert.Equal(["message.timestamp.type", "min.insync.replicas"], described.OverriddenSettings);
        Assert.Equal(2, described.Config.MinInsyncReplicas);
    }

    [Fact]
    public void TopicConfig_EveryName_RoundTripsThroughItsText()
    {
        var defaults = TopicConfig.Default.ToDictionary();

        var reparsed = TopicConfig.Default.With(defaults).ToDictionary();

        Assert.Equal(TopicConfig.Names.Order(StringComparer.Ordinal), defaults.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(defaults, reparsed);
        Assert.Equal(TopicConfig.Default, TopicConfig.Default.With(defaults));
    }

    [Theory]
    [InlineData("min.compaction.lag.ms", "10", "max.compaction.lag.ms", "5")]
    [InlineData("segment.index.bytes", "3", null, null)]
    [InlineData("local.retention.ms", "-3", null, null)]
    [InlineData("message.format.version", "banana", null, null)]
    [InlineData("message.timestamp.after.max.ms", "-1", null, null)]
    public void With_KafkasRulesBroken_InvalidConfigNamingTheSetting(string name, string value, string? otherName, string? otherValue)
    {
        var settings = new List<KeyValuePair<string, string>> { new(name, value) };
        if (otherName is not null)
        {
            settings.Add(new(otherName, otherValue!));
        }

        var error = Assert.Throws<LogException>(() => TopicConfig.Default.With(settings));

        Assert.Equal(LogErrorCode.InvalidConfig, error.ErrorCode);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }
}
