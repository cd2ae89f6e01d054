using Freshet.Streaming.Connectors;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Connectors;

/// <summary>The Kafka source and sink against a real Freshet broker over TCP on 127.0.0.1, with Confluent.Kafka on both sides.</summary>
public sealed class KafkaConnectorTests : IAsyncLifetime
{
    private InProcessBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await InProcessBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task FromKafka_Bounded_ReadsEveryRecordOfEveryPartitionWithKeysAndTimestamps(int parallelism)
    {
        _broker.Store.CreateTopic("in", 3);
        for (var p = 0; p < 3; p++)
        {
            await _broker.ProduceAsync("in", p, Enumerable.Range(0, 50).Select(i => ((string?)("k" + p), (string?)$"v{p}-{i}", 1_000L + i)));
        }

        await _broker.ProduceAsync("in", 1, [("tomb", null, 5_000)]);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism });
        var sink = new CollectingSink<KafkaRecord<string, string>>();
        env.FromKafka(new KafkaSourceOptions { BootstrapServers = _broker.BootstrapServers, Topic = "in", Bounded = true }, Serializers.Utf8String, Serializers.Utf8String).SinkTo(sink);
        await JobRunner.RunAsync(env);

        var records = sink.Results;
        Assert.Equal(151, records.Count);
        for (var p = 0; p < 3; p++)
        {
            var ofPartition = records.Where(r => r.Partition == p && r.HasValue).OrderBy(r => r.Offset).ToArray();
            Assert.Equal(Enumerable.Range(0, 50).Select(i => $"v{p}-{i}"), ofPartition.Select(r => r.Value));
            Assert.All(ofPartition, r => Assert.Equal("k" + p, r.Key));
            Assert.Equal(Enumerable.Range(0, 50).Select(i => 1_000L + i), ofPartition.Select(r => r.TimestampMs));
        }

        var tombstone = Assert.Single(records, r => !r.HasValue);
        Assert.Equal(("tomb", 1, 50L), (tombstone.Key, tombstone.Partition, tombstone.Offset));
    }

    [Fact]
    public async Task FromKafka_EventTimeFromKafkaTimestamps_TumblingWindowsPerKey()
    {
        _broker.Store.CreateTopic("clicks", 2);
        // Partition 0 runs ahead in event time. One subtask reads both partitions: its watermark is the minimum of the
        // two partitions' watermarks, so partition 1's records are not late even if partition 0 is read first.
        await _broker.ProduceAsync("clicks", 0, Enumerable.Range(0, 30).Select(i => ((string?)("u" + (i % 3)), (string?)"1", 10_000 + (i * 100L))));
        await _broker.ProduceAsync("clicks", 1, Enumerable.Range(0, 30).Select(i => ((string?)("u" + (i % 3)), (string?)"1", 10_000 + (i * 50L))));
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var sink = new CollectingSink<string>();
        env.FromKafka(Options("clicks"), Serializers.Utf8String, Serializers.Utf8String)
            .KeyBy(r => r.Key)
            .Window(Freshet.Streaming.Windows.TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Aggregate(new CountClicks())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);

        var expected = Enumerable.Range(0, 30).Select(i => ("u" + (i % 3), 10_000 + (i * 100L)))
            .Concat(Enumerable.Range(0, 30).Select(i => ("u" + (i % 3), 10_000 + (i * 50L))))
            .GroupBy(e => (e.Item1, e.Item2 / 1000))
            .Select(g => $"{g.Key.Item1}@{g.Key.Item2}={g.Count()}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, sink.Results.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FromKafka_StartAtTimestampLatestAndOffset_ResolvedPerPartition()
    {
        _broker.Store.CreateTopic("t", 1);
        // Timestamps from 1000: librdkafka replaces a timestamp of 0 by the current time.
        await _broker.ProduceAsync("t", 0, Enumerable.Range(0, 10).Select(i => ((string?)null, (string?)("v" + i), 1_000 + (i * 100L))));
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var fromTime = new CollectingSink<string>();
        var latest = new CollectingSink<string>();
        var fromOffset = new CollectingSink<string>();
        env.FromKafka(Options("t") with { StartingOffsets = StartingOffsets.Timestamp(1_650) }, Serializers.Utf8String).SinkTo(fromTime);
        env.FromKafka(Options("t") with { StartingOffsets = StartingOffsets.Latest }, Serializers.Utf8String).SinkTo(latest);
        env.FromKafka(Options("t") with { StartingOffsets = StartingOffsets.Offset(8) }, Serializers.Utf8String).SinkTo(fromOffset);
        await JobRunner.RunAsync(env);
        Assert.Equal(["v7", "v8", "v9"], fromTime.Results);
        Assert.Empty(latest.Results);
        Assert.Equal(["v8", "v9"], fromOffset.Results);
    }

    [Fact]
    public async Task FromKafka_CommitOffsetsThenCommittedStart_SecondJobReadsOnlyNewRecords()
    {
        _broker.Store.CreateTopic("t", 2);
        await _broker.ProduceAsync("t", 0, Enumerable.Range(0, 5).Select(i => ((string?)null, (string?)("a" + i), 1L)));
        await _broker.ProduceAsync("t", 1, Enumerable.Range(0, 3).Select(i => ((string?)null, (string?)("b" + i), 1L)));
        var options = Options("t") with { StartingOffsets = StartingOffsets.Committed("jobs"), CommitOffsets = true };

        var first = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var firstSink = new CollectingSink<string>();
        first.FromKafka(options, Serializers.Utf8String).SinkTo(firstSink);
        await JobRunner.RunAsync(first);
        Assert.Equal(8, firstSink.Results.Count);
        Assert.Equal(5, _broker.Store.GroupOffsets.FetchAll("jobs").Single(c => c.Partition == 0).Offset);

        await _broker.ProduceAsync("t", 1, [(null, "b3", 1L)]);
        var second = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var secondSink = new CollectingSink<string>();
        second.FromKafka(options, Serializers.Utf8String).SinkTo(secondSink);
        await JobRunner.RunAsync(second);
        Assert.Equal(["b3"], secondSink.Results);
    }

    [Fact]
    public async Task FromKafka_CommitOffsetsWithCheckpoints_GroupHoldsTheCompletedCheckpointsPositionsOnly()
    {
        _broker.Store.CreateTopic("t", 2);
        for (var p = 0; p < 2; p++)
        {
            // Straight into the broker's log (a producer per record would take most of a minute).
            var builder = new Freshet.Log.Records.RecordBatchBuilder();
            foreach (var i in Enumerable.Range(0, 10_000))
            {
                builder.Add(1L, null, System.Text.Encoding.UTF8.GetBytes($"v{p}-{i}"));
            }

            _broker.Store.GetPartition("t", p).Append(builder.Build());
        }

        var checkpoints = Path.Combine(Path.GetTempPath(), "freshet-kafka-cp-" + Guid.NewGuid().ToString("N"));
        try
        {
            var env = StreamEnvironment.Create(new StreamEnvironmentOptions
            {
                Parallelism = 2,
                Checkpointing = new CheckpointingOptions { Directory = checkpoints, Interval = TimeSpan.FromMilliseconds(50), RetainedCheckpoints = 1_000, RestartStrategy = Jobs.RestartStrategy.None },
            });
            var seen = 0;
            env.FromKafka(Options("t") with { GroupId = "jobs", CommitOffsets = true, CommitInterval = TimeSpan.Zero }, Serializers.Utf8String)
                .Uid("source")
                .Map(v =>
                {
                    // Slow enough for several checkpoints, then a failure between two of them.
                    Throttle.OneRecord();
                    return Interlocked.Increment(ref seen) == 12_000 ? throw new InvalidOperationException("injected failure") : v;
                })
                .SinkTo(new CollectingSink<string>());
            var job = await env.ExecuteAsync("kafka-group-commits");
            await Assert.ThrowsAnyAsync<Exception>(() => job.Completion.WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.True(job.GetCheckpointMetrics().Completed >= 2, $"completed checkpoints: {job.GetCheckpointMetrics().Completed}");

            var committed = _broker.Store.GroupOffsets.FetchAll("jobs");
            CheckpointedSourcePositions.AssertCommittedAreCheckpointed(
                CheckpointedSourcePositions.Read(checkpoints, "source"),
                p => committed.FirstOrDefault(c => c.Partition == p) is { } c ? c.Offset : null);
        }
        finally
        {
            if (Directory.Exists(checkpoints))
            {
                Directory.Delete(checkpoints, recursive: true);
            }
        }
    }

    [Fact]
    public async Task SinkToKafka_KeyedRecords_ReadBackByConsumerOnePartitionPerKey()
    {
        _broker.Store.CreateTopic("out", 4);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        env.FromGenerator(i => new Ev("key" + (i % 10), 10_000 + i, i), count: 1_000, WatermarkStrategy.ForMonotonousTimestamps<Ev>().WithTimestampAssigner((e, _) => e.Time))
            .SinkToKafka(new KafkaSinkOptions { BootstrapServers = _broker.BootstrapServers, Topic = "out" }, e => e.Key, Serializers.Utf8String, new EvText());
        await JobRunner.RunAsync(env);

        var records = _broker.ConsumeAll("out", 4, 1_000);
        Assert.Equal(1_000, records.Count);
        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => (long)i), records.Select(r => long.Parse(r.Message.Value!.Split(':')[1])).Order());
        Assert.All(records, r => Assert.Equal(r.Message.Key, r.Message.Value!.Split(':')[0]));
        Assert.All(records.GroupBy(r => r.Message.Key), g => Assert.Single(g.Select(r => r.Partition.Value).Distinct()));
        Assert.All(records, r => Assert.Equal(10_000 + long.Parse(r.Message.Value!.Split(':')[1]), r.Message.Timestamp.UnixTimestampMs));
    }

    [Fact]
    public async Task KafkaToKafka_Pipeline_SourceReadsWhatSinkWrote()
    {
        _broker.Store.CreateTopic("numbers", 2);
        _broker.Store.CreateTopic("doubled", 1);
        var write = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        write.FromGenerator(i => i, count: 500).SinkToKafka(new KafkaSinkOptions { BootstrapServers = _broker.BootstrapServers, Topic = "numbers" }, i => i, Serializers.Int64, Serializers.Int64);
        await JobRunner.RunAsync(write);

        var transform = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        transform.FromKafka(Options("numbers"), Serializers.Int64).Map(i => i * 2).SinkToKafka(new KafkaSinkOptions { BootstrapServers = _broker.BootstrapServers, Topic = "doubled" }, Serializers.Int64);
        await JobRunner.RunAsync(transform);

        var read = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var sink = new CollectingSink<long>();
        read.FromKafka(Options("doubled"), Serializers.Int64).SinkTo(sink);
        await JobRunner.RunAsync(read);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => i * 2L), sink.Results.Order());
    }

    [Fact]
    public async Task FromKafka_Unbounded_ReadsRecordsProducedWhileRunning()
    {
        _broker.Store.CreateTopic("live", 1);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, BufferTimeout = TimeSpan.FromMilliseconds(5) });
        var sink = new CollectingSink<string>();
        env.FromKafka(Options("live") with { Bounded = false }, Serializers.Utf8String).Rebalance().SinkTo(sink);
        var job = await env.ExecuteAsync();
        await _broker.ProduceAsync("live", 0, [(null, "x", 1L)]);
        await JobRunner.WaitUntilAsync(() => sink.Results.Count == 1);
        await _broker.ProduceAsync("live", 0, [(null, "y", 2L), (null, "z", 3L)]);
        await JobRunner.WaitUntilAsync(() => sink.Results.Count == 3);
        await job.CancelAsync();
        Assert.Equal(["x", "y", "z"], sink.Results);
    }

    [Fact]
    public async Task Reader_SnapshotPositionThenRestore_ResumesAfterLastEmittedRecord()
    {
        _broker.Store.CreateTopic("pos", 2);
        await _broker.ProduceAsync("pos", 0, Enumerable.Range(0, 20).Select(i => ((string?)null, (string?)("a" + i), 1L)));
        await _broker.ProduceAsync("pos", 1, Enumerable.Range(0, 20).Select(i => ((string?)null, (string?)("b" + i), 1L)));
        static bool Convert(Confluent.Kafka.ConsumeResult<byte[]?, byte[]?> r, out string value)
        {
            value = System.Text.Encoding.UTF8.GetString(r.Message.Value!);
            return true;
        }

        var first = new KafkaSourceReader<string>(Options("pos"), Convert, ReaderDriver<string>.Context());
        var firstDriver = new ReaderDriver<string>(first);
        firstDriver.PollUntil(13);
        var position = first.SnapshotPosition();
        first.Dispose();

        var second = new KafkaSourceReader<string>(Options("pos"), Convert, ReaderDriver<string>.Context());
        second.RestorePosition(position);
        var secondDriver = new ReaderDriver<string>(second);
        secondDriver.PollToEnd();
        second.Dispose();
        var all = firstDriver.Records.Concat(secondDriver.Records).ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => "a" + i).Concat(Enumerable.Range(0, 20).Select(i => "b" + i)).Order(), all.Order());
    }

    [Fact]
    public async Task FromKafka_MissingTopic_JobFailsNamingTheTopic()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        env.FromKafka(Options("absent") with { RequestTimeout = TimeSpan.FromSeconds(5) }, Serializers.Utf8String).SinkTo(new CollectingSink<string>());
        var job = await env.ExecuteAsync();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => job.Completion.WaitAsync(JobRunner.Deadline));
        Assert.Contains("absent", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SinkToKafka_TopicMissing_JobFailsWithDeliveryError()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var options = new KafkaSinkOptions
        {
            BootstrapServers = _broker.BootstrapServers,
            Topic = "nowhere",
            Properties = new Dictionary<string, string> { ["message.timeout.ms"] = "1500" },
        };
        env.FromCollection(["a", "b"]).SinkToKafka(options, Serializers.Utf8String);
        var job = await env.ExecuteAsync();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => job.Completion.WaitAsync(JobRunner.Deadline));
        Assert.Contains("Kafka Sink: nowhere", error.Message, StringComparison.Ordinal);
        Assert.IsType<Confluent.Kafka.KafkaException>(error.InnerException);
    }

    [Fact]
    public void Options_Invalid_ClearErrors()
    {
        var env = StreamEnvironment.Create();
        Assert.Throws<ArgumentException>(() => env.FromKafka(Options("t") with { CommitOffsets = true }, Serializers.Utf8String));
        Assert.Throws<ArgumentException>(() => env.FromKafka(Options("t") with { Properties = new Dictionary<string, string> { ["enable.auto.commit"] = "true" } }, Serializers.Utf8String));
        Assert.Throws<ArgumentException>(() => env.FromKafka(Options(" "), Serializers.Utf8String));
        Assert.Throws<ArgumentException>(() => StartingOffsets.Committed("g", StartingOffsets.Committed("h")));
    }

    private KafkaSourceOptions Options(string topic) => new() { BootstrapServers = _broker.BootstrapServers, Topic = topic, Bounded = true };

    private sealed class CountClicks : Freshet.Streaming.Functions.IAggregateFunction<KafkaRecord<string, string>, (string Key, long Second, int Count), string>
    {
        public (string Key, long Second, int Count) CreateAccumulator() => (string.Empty, 0, 0);

        public (string Key, long Second, int Count) Add(KafkaRecord<string, string> value, (string Key, long Second, int Count) accumulator) =>
            (value.Key, value.TimestampMs / 1000, accumulator.Count + 1);

        public string GetResult((string Key, long Second, int Count) accumulator) => $"{accumulator.Key}@{accumulator.Second}={accumulator.Count}";

        public (string Key, long Second, int Count) Merge((string Key, long Second, int Count) a, (string Key, long Second, int Count) b) => (a.Key, a.Second, a.Count + b.Count);
    }

    private sealed class EvText : ISerializer<Ev>
    {
        public void Serialize(Ev value, System.Buffers.IBufferWriter<byte> output) => Serializers.Utf8String.Serialize($"{value.Key}:{value.Value}", output);

        public Ev Deserialize(ReadOnlySpan<byte> input)
        {
            var fields = Serializers.Utf8String.Deserialize(input).Split(':');
            return new Ev(fields[0], long.MinValue, long.Parse(fields[1]));
        }
    }
}
