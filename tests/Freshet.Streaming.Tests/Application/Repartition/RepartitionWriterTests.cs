using Confluent.Kafka;
using Freshet.Streaming.Application.Repartition;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Jobs;
using Serializers = Freshet.Streaming.Serialization.Serializers;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Application.Repartition;

/// <summary><see cref="RepartitionWriter{T}"/> against a real Freshet broker, read back with a real consumer.</summary>
public sealed class RepartitionWriterTests : IAsyncLifetime
{
    private InProcessBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await InProcessBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task ProcessBatch_KeyRouterAtPartitionCount_EachKeyLandsInThePartitionOfTheSubtaskTheSingleProcessEngineChooses()
    {
        const int Partitions = 3;
        _broker.Store.CreateTopic("t", Partitions);
        var events = Enumerable.Range(0, 300).Select(i => new Ev("k" + (i % 60), 1_000 + i, i)).ToArray();

        // Where the single-process engine sends each key at parallelism 3.
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = Partitions });
        var sink = new CollectingSink<string>();
        env.FromCollection(events).KeyBy(e => e.Key).Process(new SubtaskOfKey()).SinkTo(sink);
        await JobRunner.RunAsync(env);
        var subtaskOfKey = sink.Results.Distinct().Select(r => r.Split(':')).ToDictionary(f => f[0], f => int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(60, subtaskOfKey.Count);
        Assert.True(subtaskOfKey.Values.Distinct().Count() == Partitions, "the keys should spread over every subtask for the test to mean something");

        using var producer = RepartitionTestKit.Producer(_broker);
        var writer = RepartitionTestKit.Writer("t", Partitions, new KeyGroupRouter<Ev, string>(e => e.Key, 128, Partitions), upstreamTask: 0, producer);
        OperatorSetups.Feed(writer, events.Select(e => (e, e.Time)));
        writer.Finish();

        var serializer = Serializers.Default<Ev>();
        var read = 0;
        for (var p = 0; p < Partitions; p++)
        {
            foreach (var record in RepartitionTestKit.ReadPartition(_broker, "t", p))
            {
                var ev = serializer.Deserialize(record.Message.Value);
                Assert.Equal(subtaskOfKey[ev.Key], p);
                Assert.Equal(ev.Time, record.Message.Timestamp.UnixTimestampMs);
                Assert.Null(record.Message.Key);
                read++;
            }
        }

        Assert.Equal(events.Length, read);
    }

    [Fact]
    public void WatermarkIdleAndRecordsAfterIdle_MarkersGoToEveryPartitionInOrderWithTheRecords()
    {
        _broker.Store.CreateTopic("t", 2);
        using var producer = RepartitionTestKit.Producer(_broker);

        // Upstream task 1 of a rebalance edge: its first record goes to partition 1, then 0, then 1.
        var writer = RepartitionTestKit.Writer("t", 2, new RebalanceRouter<string>(2, 1), upstreamTask: 1, producer);
        OperatorSetups.Feed(writer, [("r1", 10L), ("r2", 20L)]);
        writer.Watermark(100);
        writer.Idle();
        OperatorSetups.Feed(writer, [("r3", 150L)]);
        writer.Watermark(200);
        writer.Finish();

        Assert.Equal(["r2@20", "m1:100", "m1:100:idle", "m1:100", "m1:200"], Describe(RepartitionTestKit.ReadPartition(_broker, "t", 0)));
        Assert.Equal(["r1@10", "m1:100", "m1:100:idle", "m1:100", "r3@150", "m1:200"], Describe(RepartitionTestKit.ReadPartition(_broker, "t", 1)));
    }

    [Fact]
    public void SnapshotState_DeliversEverythingBeforeReturning_AndAddsNoMarker()
    {
        _broker.Store.CreateTopic("t", 2);
        using var producer = RepartitionTestKit.Producer(_broker);
        var writer = RepartitionTestKit.Writer("t", 2, new FixedTargetRouter<string>(0), upstreamTask: 0, producer);

        OperatorSetups.Feed(writer, [("a", 5L)]);
        writer.Watermark(50);
        writer.Idle();
        Assert.Null(writer.SnapshotStateWrapped(1));

        // No flush or wait by the test: the barrier itself waited for the acknowledgements.
        Assert.Equal(["a@5", "m0:50", "m0:50:idle"], Describe(RepartitionTestKit.ReadPartition(_broker, "t", 0)));
        Assert.Equal(["m0:50", "m0:50:idle"], Describe(RepartitionTestKit.ReadPartition(_broker, "t", 1)));

        // An idle task at later barriers writes nothing more: a downstream task keeps what it read in its position.
        Assert.Null(writer.SnapshotStateWrapped(2));
        Assert.Equal(["m0:50", "m0:50:idle"], Describe(RepartitionTestKit.ReadPartition(_broker, "t", 1)));
        Assert.Empty(writer.StateSections);
    }

    [Fact]
    public void BroadcastTarget_WritesTheRecordToEveryPartition()
    {
        _broker.Store.CreateTopic("t", 3);
        using var producer = RepartitionTestKit.Producer(_broker);
        var writer = RepartitionTestKit.Writer("t", 3, new BroadcastRouter<string>(), upstreamTask: 0, producer);
        OperatorSetups.Feed(writer, [("rule", 7L)]);
        writer.Finish();
        for (var p = 0; p < 3; p++)
        {
            Assert.Equal(["rule@7"], Describe(RepartitionTestKit.ReadPartition(_broker, "t", p)));
        }
    }

    [Fact]
    public void TopicWithFewerPartitionsThanTheWriterWasGiven_FailsTheTaskNamingTheTopicAndPartition()
    {
        _broker.Store.CreateTopic("t", 2);
        using var producer = RepartitionTestKit.Producer(_broker, messageTimeoutMs: 3_000);
        var writer = RepartitionTestKit.Writer("t", 3, new FixedTargetRouter<string>(2), upstreamTask: 0, producer);

        // librdkafka refuses the record at once when it knows the topic's metadata, else in the delivery report.
        var error = Assert.Throws<JobExecutionException>(() =>
        {
            OperatorSetups.Feed(writer, [("x", 1L)]);
            writer.Finish();
        });
        var kafka = Assert.IsType<KafkaException>(error.InnerException);
        Assert.Contains("repartition topic 't' partition 2", kafka.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.Local_UnknownPartition, kafka.Error.Code);
    }

    [Fact]
    public void FailedDeliveryReport_FailsTheFlushAndEveryLaterCallNamingTheTopicAndPartition()
    {
        using var producer = RepartitionTestKit.Producer(_broker, messageTimeoutMs: 2_000);

        // The broker creates no topics on demand: librdkafka accepts the record, then reports it undeliverable.
        var writer = RepartitionTestKit.Writer("missing", 1, new FixedTargetRouter<string>(0), upstreamTask: 0, producer);
        OperatorSetups.Feed(writer, [("x", 1L)]);
        var error = Assert.Throws<JobExecutionException>(writer.Finish);
        var kafka = Assert.IsType<KafkaException>(error.InnerException);
        Assert.Contains("Writing to repartition topic 'missing' partition 0 failed", kafka.Message, StringComparison.Ordinal);

        var later = Assert.Throws<JobExecutionException>(() => OperatorSetups.Feed(writer, [("y", 2L)]));
        Assert.Equal(kafka.Error.Code, Assert.IsType<KafkaException>(later.InnerException).Error.Code);
        Assert.Throws<JobExecutionException>(() => writer.Watermark(10));
    }

    [Fact]
    public void RouterTargetOutsideThePartitions_FailsNamingTheTopic()
    {
        _broker.Store.CreateTopic("t", 2);
        using var producer = RepartitionTestKit.Producer(_broker);
        var writer = RepartitionTestKit.Writer("t", 2, new FixedTargetRouter<string>(5), upstreamTask: 0, producer);
        var error = Assert.Throws<JobExecutionException>(() => OperatorSetups.Feed(writer, [("x", 1L)]));
        Assert.Contains("chose partition 5; the topic has 2", error.InnerException!.Message, StringComparison.Ordinal);
    }

    /// <summary>Records as "value@eventTime", markers as "m{task}:{watermark}[:idle]".</summary>
    private static List<string> Describe(IEnumerable<ConsumeResult<byte[]?, byte[]?>> records) =>
        [.. records.Select(r => RepartitionRecordFormat.Read(r.Message, out var marker, out var eventTime) == RepartitionRecordKind.WatermarkMarker
            ? $"m{marker.UpstreamTask}:{marker.Watermark}{(marker.Idle ? ":idle" : "")}"
            : $"{Serializers.Utf8String.Deserialize(r.Message.Value ?? [])}@{eventTime}")];

    private sealed class SubtaskOfKey : KeyedProcessFunction<string, Ev, string>
    {
        private int _subtask;

        public override void Open(RuntimeContext context) => _subtask = context.IndexOfThisSubtask;

        public override void ProcessElement(Ev value, KeyedProcessContext<string> context, Collector<string> output) => output.Collect($"{context.CurrentKey}:{_subtask}");
    }
}
