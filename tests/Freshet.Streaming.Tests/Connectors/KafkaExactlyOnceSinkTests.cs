using Serializers = Freshet.Streaming.Serialization.Serializers;
using Confluent.Kafka;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Connectors;

/// <summary>
/// <see cref="KafkaExactlyOnceSinkWriter{T}"/> driven through its two-phase-commit hooks as the runtime would call
/// them, against a real Freshet broker on 127.0.0.1, checked with a read_committed Confluent.Kafka consumer. A crash
/// is a writer disposed without further calls; the restarted subtask is a new writer (new librdkafka producer, same
/// prefix and subtask) that gets the committables the restored checkpoint holds.
/// </summary>
public sealed class KafkaExactlyOnceSinkTests : IAsyncLifetime
{
    private const int Partitions = 3;
    private InProcessBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await InProcessBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public void Commit_AfterPreCommit_RecordsVisibleToReadCommittedExactlyOnce()
    {
        var (topic, options) = NewTopic();
        using var writer = CreateWriter(options, subtask: 0);
        Write(writer, Range("a", 0, 50), timestampMs: 5_000);
        Assert.Empty(ReadCommitted(topic));

        var committable = writer.PreCommit(1);
        Assert.Empty(ReadCommitted(topic));
        Write(writer, Range("b", 0, 10), timestampMs: 6_000);

        writer.Commit([committable]);
        var records = ReadCommitted(topic);
        Assert.Equal(Range("a", 0, 50).Order(StringComparer.Ordinal), records.Select(r => r.Message.Value).Order(StringComparer.Ordinal));
        Assert.All(records, r => Assert.Equal(r.Message.Value, r.Message.Key));
        Assert.All(records, r => Assert.Equal(5_000, r.Message.Timestamp.UnixTimestampMs));
        Assert.All(records.GroupBy(r => r.Message.Key), g => Assert.Single(g.Select(r => r.Partition.Value).Distinct()));
        Assert.Equal(1, writer.CommittedCheckpointId);

        // The records written after the barrier belong to checkpoint 2; committing checkpoint 1 again changes nothing.
        writer.Commit([committable]);
        writer.Commit([writer.PreCommit(2)]);
        Assert.Equal(Range("a", 0, 50).Concat(Range("b", 0, 10)).Order(StringComparer.Ordinal), ReadCommitted(topic).Select(r => r.Message.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Flush_EndOfInput_ProducesNothing()
    {
        var (topic, options) = NewTopic();
        using var writer = CreateWriter(options, subtask: 0);
        Write(writer, Range("a", 0, 5), timestampMs: 1_000);
        writer.Flush(endOfInput: true);
        Assert.Empty(ReadCommitted(topic));
    }

    [Fact]
    public void Recover_CommittablesAlreadyCommittedByCrashedInstance_NoDuplicates()
    {
        var (topic, options) = NewTopic();
        byte[] first, second;
        using (var crashed = CreateWriter(options, subtask: 0))
        {
            Write(crashed, Range("a", 0, 20), timestampMs: 1_000);
            first = crashed.PreCommit(1);
            Write(crashed, Range("b", 0, 20), timestampMs: 2_000);
            second = crashed.PreCommit(2);
            crashed.Commit([first, second]);
        }

        // The crash came after Kafka's commit but before the checkpoint recorded it: the restored snapshot still holds both.
        using var restarted = CreateWriter(options, subtask: 0);
        restarted.Recover(Restored(0, first, second));
        Assert.Equal(2, restarted.CommittedCheckpointId);
        restarted.Recover(Restored(0, first, second));
        Write(restarted, Range("c", 0, 5), timestampMs: 3_000);
        restarted.Commit([restarted.PreCommit(3)]);

        var expected = Range("a", 0, 20).Concat(Range("b", 0, 20)).Concat(Range("c", 0, 5)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, ReadCommitted(topic).Select(r => r.Message.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Recover_CheckpointThatNeverCompleted_ItsRecordsAbsentUntilReplayedThenEveryRecordOnce()
    {
        var (topic, options) = NewTopic();
        byte[] first;
        using (var crashed = CreateWriter(options, subtask: 0))
        {
            Write(crashed, Range("a", 0, 30), timestampMs: 1_000);
            first = crashed.PreCommit(1);
            Write(crashed, Range("b", 0, 30), timestampMs: 2_000);
            _ = crashed.PreCommit(2);

            // Checkpoint 1 completed but the crash came before the sink heard of it; checkpoint 2 never completed.
        }

        using var restarted = CreateWriter(options, subtask: 0);
        restarted.Recover(Restored(0, first));
        Assert.Equal(Range("a", 0, 30).Order(StringComparer.Ordinal), ReadCommitted(topic).Select(r => r.Message.Value).Order(StringComparer.Ordinal));

        // The sources replay from checkpoint 1's positions: checkpoint 2's records arrive again, with the next id.
        Write(restarted, Range("b", 0, 30), timestampMs: 2_000);
        restarted.Commit([restarted.PreCommit(2)]);
        var expected = Range("a", 0, 30).Concat(Range("b", 0, 30)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, ReadCommitted(topic).Select(r => r.Message.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Recover_CrashInsideCommitLeftTransactionOpen_AbortedAndRecordsCommittedOnce()
    {
        var (topic, options) = NewTopic();
        using var writer = CreateWriter(options, subtask: 0);
        Write(writer, Range("a", 0, 25), timestampMs: 1_000);
        var first = writer.PreCommit(1);

        // The crashed instance had produced part of checkpoint 1's records in its transaction, then hung.
        var config = new ProducerConfig { BootstrapServers = _broker.BootstrapServers, TransactionalId = writer.TransactionalId, LingerMs = 1 };
        using var crashed = new ProducerBuilder<string, string>(config).Build();
        crashed.InitTransactions(TimeSpan.FromSeconds(10));
        crashed.BeginTransaction();
        foreach (var value in Range("a", 0, 10))
        {
            crashed.Produce(topic, new Message<string, string> { Key = value, Value = value });
        }

        crashed.Flush(TimeSpan.FromSeconds(10));

        writer.Recover(Restored(0, first));
        Assert.Equal(Range("a", 0, 25).Order(StringComparer.Ordinal), ReadCommitted(topic).Select(r => r.Message.Value).Order(StringComparer.Ordinal));
        Assert.ThrowsAny<KafkaException>(() => crashed.CommitTransaction(TimeSpan.FromSeconds(10)));
        Assert.Equal(25, ReadCommitted(topic).Count);
    }

    [Fact]
    public void Recover_AfterScaleDown_EachOldSubtasksCommittablesCommittedOnceUnderItsOwnId()
    {
        // At parallelism 3 checkpoint 1 completed; subtask 0 committed it, subtasks 1 and 2 crashed before they did, and
        // subtask 2 had begun producing it. Restored at parallelism 1, subtask 0 takes over all three.
        var (topic, options) = NewTopic();
        byte[] zero, one, two;
        using (var old0 = CreateWriter(options, subtask: 0))
        using (var old1 = CreateWriter(options, subtask: 1))
        using (var old2 = CreateWriter(options, subtask: 2))
        {
            Write(old0, Range("zero", 0, 10), timestampMs: 1_000);
            Write(old1, Range("one", 0, 10), timestampMs: 1_000);
            Write(old2, Range("two", 0, 10), timestampMs: 1_000);
            (zero, one, two) = (old0.PreCommit(1), old1.PreCommit(1), old2.PreCommit(1));
            old0.Commit([zero]);
        }

        var config = new ProducerConfig { BootstrapServers = _broker.BootstrapServers, TransactionalId = options.TransactionalIdPrefix + "-2", LingerMs = 1 };
        using var crashed = new ProducerBuilder<string, string>(config).Build();
        crashed.InitTransactions(TimeSpan.FromSeconds(10));
        crashed.BeginTransaction();
        crashed.Produce(topic, new Message<string, string> { Key = "two0", Value = "two0" });
        crashed.Flush(TimeSpan.FromSeconds(10));

        using var restored = CreateWriter(options, subtask: 0);
        restored.Recover([new RestoredCommittable(0, zero), new RestoredCommittable(1, one), new RestoredCommittable(2, two)]);
        var expected = Range("zero", 0, 10).Concat(Range("one", 0, 10)).Concat(Range("two", 0, 10)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, ReadCommitted(topic).Select(r => r.Message.Value).Order(StringComparer.Ordinal));

        // Recovering the same checkpoint again (a second crash) writes nothing twice.
        using var again = CreateWriter(options, subtask: 0);
        again.Recover([new RestoredCommittable(0, zero), new RestoredCommittable(1, one), new RestoredCommittable(2, two)]);
        Assert.Equal(expected, ReadCommitted(topic).Select(r => r.Message.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Commit_ZombieAfterNewInstanceRecovered_FencedAndNothingDuplicated()
    {
        var (topic, options) = NewTopic();
        using var zombie = CreateWriter(options, subtask: 1);
        Write(zombie, Range("a", 0, 10), timestampMs: 1_000);
        var first = zombie.PreCommit(1);
        zombie.Commit([first]);
        Write(zombie, Range("b", 0, 10), timestampMs: 2_000);
        var second = zombie.PreCommit(2);

        // The old instance lost contact and a new one restored checkpoint 1; then the old one tries to commit 2.
        using var restarted = CreateWriter(options, subtask: 1);
        restarted.Recover(Restored(1, first));
        var error = Assert.Throws<InvalidOperationException>(() => zombie.Commit([second]));
        var kafkaError = Assert.IsAssignableFrom<KafkaException>(error.InnerException);
        Assert.True(kafkaError.Error.IsFatal, kafkaError.Error.ToString());
        Assert.Contains("checkpoint 2", error.Message, StringComparison.Ordinal);
        var again = Assert.Throws<InvalidOperationException>(() => zombie.Commit([second]));
        Assert.Same(error, again.InnerException);

        Write(restarted, Range("b", 0, 10), timestampMs: 2_000);
        restarted.Commit([restarted.PreCommit(2)]);
        var expected = Range("a", 0, 10).Concat(Range("b", 0, 10)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, ReadCommitted(topic).Select(r => r.Message.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Commit_SubtasksOfOnePrefix_IndependentMarkers()
    {
        var (topic, options) = NewTopic();
        using var zero = CreateWriter(options, subtask: 0);
        using var one = CreateWriter(options, subtask: 1);
        Write(zero, Range("a", 0, 10), timestampMs: 1_000);
        Write(one, Range("b", 0, 10), timestampMs: 1_000);
        var zeroFirst = zero.PreCommit(1);
        var oneFirst = one.PreCommit(1);
        zero.Commit([zeroFirst]);
        one.Commit([oneFirst]);
        Assert.NotEqual(zero.TransactionalId, one.TransactionalId);

        var expected = Range("a", 0, 10).Concat(Range("b", 0, 10)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, ReadCommitted(topic).Select(r => r.Message.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Commit_CheckpointIdsRestartBelowCommittedMarker_FailsInsteadOfDroppingRecords()
    {
        var (topic, options) = NewTopic();
        using (var earlier = CreateWriter(options, subtask: 0))
        {
            Write(earlier, Range("a", 0, 3), timestampMs: 1_000);
            var first = earlier.PreCommit(1);
            Write(earlier, Range("b", 0, 3), timestampMs: 2_000);
            earlier.Commit([first, earlier.PreCommit(2)]);
        }

        // A second job reusing the prefix from scratch: its checkpoint 1 is not above the committed marker 2.
        using var reused = CreateWriter(options, subtask: 0);
        Write(reused, Range("z", 0, 3), timestampMs: 1_000);
        var error = Assert.Throws<InvalidOperationException>(() => reused.Commit([reused.PreCommit(1)]));
        Assert.Contains("TransactionalIdPrefix", error.Message, StringComparison.Ordinal);
        Assert.Equal(Range("a", 0, 3).Concat(Range("b", 0, 3)).Order(StringComparer.Ordinal), ReadCommitted(topic).Select(r => r.Message.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SinkToKafka_ExactlyOnceWithoutPrefix_ClearError()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var stream = env.FromGenerator(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture), count: 1);
        var options = new KafkaSinkOptions { BootstrapServers = _broker.BootstrapServers, Topic = "out", DeliveryGuarantee = DeliveryGuarantee.ExactlyOnce };

        var error = Assert.Throws<ArgumentException>(() => stream.SinkToKafka(options, Serializers.Utf8String));
        Assert.Equal(nameof(KafkaSinkOptions.TransactionalIdPrefix), error.ParamName);
        Assert.Contains("ExactlyOnce needs a TransactionalIdPrefix", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => stream.SinkToKafka(options with { TransactionalIdPrefix = " " }, Serializers.Utf8String));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.SinkToKafka(options with { TransactionalIdPrefix = "p", TransactionTimeout = TimeSpan.FromMilliseconds(10) }, Serializers.Utf8String));

        // At-least-once needs no prefix, and exactly-once with one is accepted.
        stream.SinkToKafka(options with { DeliveryGuarantee = DeliveryGuarantee.AtLeastOnce }, Serializers.Utf8String);
        stream.SinkToKafka(options with { TransactionalIdPrefix = "job.sink" }, Serializers.Utf8String);
    }

    [Fact]
    public void CreateWriter_ByDeliveryGuarantee_TransactionalWriterOnlyForExactlyOnce()
    {
        var options = new KafkaSinkOptions { BootstrapServers = _broker.BootstrapServers, Topic = "out", TransactionalIdPrefix = "job.sink" };
        var sink = new KafkaSink<string>(options, null, Serializers.Utf8String.Serialize);
        using var atLeastOnce = sink.CreateWriter(new SinkContext(0, 2));
        Assert.IsType<KafkaSinkWriter<string>>(atLeastOnce);

        var exactlyOnce = new KafkaSink<string>(options with { DeliveryGuarantee = DeliveryGuarantee.ExactlyOnce }, null, Serializers.Utf8String.Serialize);
        using var writer = Assert.IsType<KafkaExactlyOnceSinkWriter<string>>(exactlyOnce.CreateWriter(new SinkContext(1, 2)));
        Assert.Equal("job.sink-1", writer.TransactionalId);
    }

    /// <summary>Committables pre-committed by <paramref name="subtask"/>, as a restore hands them back.</summary>
    private static RestoredCommittable[] Restored(int subtask, params byte[][] committables) => [.. committables.Select(c => new RestoredCommittable(subtask, c))];

    private static string[] Range(string prefix, int from, int count) => Enumerable.Range(from, count).Select(i => $"{prefix}{i}").ToArray();

    private static void Write(KafkaExactlyOnceSinkWriter<string> writer, string[] values, long timestampMs) =>
        writer.Write(values, Enumerable.Repeat(timestampMs, values.Length).ToArray());

    private static KafkaExactlyOnceSinkWriter<string> CreateWriter(KafkaSinkOptions options, int subtask)
    {
        var sink = new KafkaSink<string>(options, Serializers.Utf8String.Serialize, Serializers.Utf8String.Serialize);
        return Assert.IsType<KafkaExactlyOnceSinkWriter<string>>(sink.CreateWriter(new SinkContext(subtask, 2)));
    }

    private (string Topic, KafkaSinkOptions Options) NewTopic()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var topic = "eos-" + id;
        _broker.Store.CreateTopic(topic, Partitions);
        return (topic, new KafkaSinkOptions
        {
            BootstrapServers = _broker.BootstrapServers,
            Topic = topic,
            DeliveryGuarantee = DeliveryGuarantee.ExactlyOnce,
            TransactionalIdPrefix = "job-" + id,
            FlushTimeout = TimeSpan.FromSeconds(10),
        });
    }

    /// <summary>Every committed record of the topic: a read_committed consumer from the beginning until each partition reports its end (the last stable offset).</summary>
    private List<ConsumeResult<string?, string?>> ReadCommitted(string topic)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _broker.BootstrapServers,
            GroupId = "check-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
            FetchWaitMaxMs = 50,
        };
        using var consumer = new ConsumerBuilder<string?, string?>(config).Build();
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var results = new List<ConsumeResult<string?, string?>>();
        var atEnd = new HashSet<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (atEnd.Count < Partitions)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Partitions of '{topic}' at their end: {atEnd.Count} of {Partitions} after 10 s.");
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { } result)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                atEnd.Add(result.Partition.Value);
            }
            else
            {
                results.Add(result);
            }
        }

        return results;
    }
}
