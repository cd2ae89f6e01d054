using Confluent.Kafka;
using Freshet.Streaming.Application.Repartition;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Planning;
using Serializers = Freshet.Streaming.Serialization.Serializers;
using Freshet.Streaming.Sources;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.Application.Repartition;

/// <summary>
/// One job cut at its KeyBy, run in one process as the application runtime will run it: two upstream jobs (standing
/// for upstream tasks 0 and 1) end in <see cref="RepartitionWriter{T}"/>s, and one downstream job per partition reads
/// it through <see cref="RepartitionSourceReader{T}"/> into event-time tumbling windows. Together they must give what
/// the single-process engine gives for the same graph.
/// </summary>
public sealed class RepartitionEndToEndTests : IAsyncLifetime
{
    private const int Partitions = 3;
    private const string Topic = "app-window-repartition";
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(300);
    private InProcessBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await InProcessBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KeyByCutIntoRepartitionTopic_WindowResultsEqualTheSingleProcessEngines(bool checkpoints)
    {
        _broker.Store.CreateTopic(Topic, Partitions);
        var halves = new[] { Events(seed: 1, count: 400), Events(seed: 2, count: 300) };

        var expected = await SingleProcessAsync(halves);
        Assert.True(expected.Count > 20, "the input should fill many windows");

        var checkpointDirectory = Path.Combine(Path.GetTempPath(), "freshet-repartition-cp-" + Guid.NewGuid().ToString("N"));
        CheckpointingOptions? Checkpointing(string job) => checkpoints ? new CheckpointingOptions { Directory = Path.Combine(checkpointDirectory, job), Interval = TimeSpan.FromMilliseconds(10) } : null;
        var sinks = new CollectingSink<string>[Partitions];
        var downstream = new List<JobHandle>();
        for (var p = 0; p < Partitions; p++)
        {
            sinks[p] = new CollectingSink<string>();
            var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, Checkpointing = Checkpointing($"downstream-{p}") });
            var partition = p;
            var source = new ReaderSource(() => new RepartitionSourceReader<Ev>(
                Topic, partition, StartingOffsets.Earliest, upstreamTaskCount: 2, Serializers.Default<Ev>(), new ConsumerConfig { BootstrapServers = _broker.BootstrapServers, FetchWaitMaxMs = 20 }, endAtFinalWatermark: true, TimeSpan.FromSeconds(15)));
            Windowed(env.FromSource(source, WatermarkStrategy.DrivenByReader<Ev>())).SinkTo(sinks[p]);
            downstream.Add(await env.ExecuteAsync($"downstream {p}"));
        }

        var producers = new[] { RepartitionTestKit.Producer(_broker), RepartitionTestKit.Producer(_broker) };
        var upstream = new List<JobHandle>();
        try
        {
            for (var task = 0; task < 2; task++)
            {
                var env = StreamEnvironment.Create(new StreamEnvironmentOptions
                {
                    Parallelism = 1,

                    // Small batches: the upstream watermark advances every 16 records, so windows fire all along the way.
                    BatchSize = 16,
                    Checkpointing = Checkpointing($"upstream-{task}"),
                });
                var stream = env.FromCollection(halves[task], Strategy());
                var upstreamTask = task;
                var producer = producers[task];
                env.Register(new OneInputTransformation<Ev, Ev>(env.NextId(), "Repartition", 1, stream.Node, InputPartitioning.Default, (setup, _) =>
                    new RepartitionWriter<Ev>(setup, Topic, Partitions, new KeyGroupRouter<Ev, string>(e => e.Key, setup.MaxParallelism, Partitions), upstreamTask, Serializers.Default<Ev>(), producer, TimeSpan.FromSeconds(15))));
                upstream.Add(await env.ExecuteAsync($"upstream {task}"));
            }

            await Task.WhenAll(upstream.Concat(downstream).Select(j => j.Completion)).WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            await StopAndDeleteAsync(checkpointDirectory, [.. upstream, .. downstream]);
            foreach (var producer in producers)
            {
                producer.Dispose();
            }
        }

        var markers = RepartitionTestKit.Markers(Enumerable.Range(0, Partitions).SelectMany(p => RepartitionTestKit.ReadPartition(_broker, Topic, p))).Count;
        Assert.True(markers > 40 * Partitions, $"only {markers} markers: the upstream watermarks should have advanced many times");

        var actual = sinks.SelectMany(s => s.TimestampedResults).Order().ToList();
        Assert.Equal(expected, actual);

        // Each key's windows were computed by exactly one downstream task.
        var partitionsOfKey = sinks.SelectMany((s, p) => s.Results.Select(r => (Key: r.Split('@')[0], Partition: p))).Distinct().GroupBy(k => k.Key);
        Assert.All(partitionsOfKey, g => Assert.Single(g));
    }

    [Fact]
    public async Task DownstreamTaskFailsMidway_RestartsFromItsCheckpointWithTheUpstreamStatesAndLosesNoWindow()
    {
        _broker.Store.CreateTopic(Topic, 1);
        var events = Events(seed: 3, count: 600);
        using var producer = RepartitionTestKit.Producer(_broker);
        var upstream0 = RepartitionTestKit.Writer(Topic, 1, new FixedTargetRouter<Ev>(0), upstreamTask: 0, producer);
        var upstream1 = RepartitionTestKit.Writer(Topic, 1, new FixedTargetRouter<Ev>(0), upstreamTask: 1, producer);

        // Task 1 goes idle at once and says nothing more until the end: after the restart only the restored position
        // knows it is idle; without it the watermark would stall at task 1 and no window would fire before the end.
        upstream1.Idle();
        WriteWithWatermarks(upstream0, events[..300]);
        upstream0.Finish();

        var checkpointDirectory = Path.Combine(Path.GetTempPath(), "freshet-repartition-cp-" + Guid.NewGuid().ToString("N"));
        JobHandle? job = null;
        try
        {
            var env = StreamEnvironment.Create(new StreamEnvironmentOptions
            {
                Parallelism = 1,
                BatchSize = 16,
                Checkpointing = new CheckpointingOptions { Directory = checkpointDirectory, Interval = TimeSpan.FromMilliseconds(10), RestartStrategy = RestartStrategy.FixedDelay(3, TimeSpan.FromMilliseconds(10)) },
            });
            var failure = new InjectedFailure();
            var sink = new CollectingSink<string>();
            var source = new ReaderSource(() => new RepartitionSourceReader<Ev>(
                Topic, 0, StartingOffsets.Earliest, upstreamTaskCount: 2, Serializers.Default<Ev>(), new ConsumerConfig { BootstrapServers = _broker.BootstrapServers, FetchWaitMaxMs = 20 }, endAtFinalWatermark: true, TimeSpan.FromSeconds(15)));
            Windowed(env.FromSource(source, WatermarkStrategy.DrivenByReader<Ev>())).Map(failure.PassOrFailOnce).SinkTo(sink);
            job = await env.ExecuteAsync("downstream");

            await JobRunner.WaitUntilAsync(() => sink.Results.Count > 0 && job.GetCheckpointMetrics().Completed >= 2);
            var firedBeforeTheEnd = sink.Results.Count;
            failure.Arm();
            var watermark = WriteWithWatermarks(upstream0, events[300..]);
            upstream0.Finish();

            // Every window the second half's watermark closes fires after the restart, before any final marker.
            var closed = Expected(events).Where(r => long.Parse(r.Split('@', ':')[1], System.Globalization.CultureInfo.InvariantCulture) + 999 <= watermark).ToList();
            await JobRunner.WaitUntilAsync(() => failure.Fired && closed.All(sink.Results.Contains));

            upstream0.Watermark(long.MaxValue);
            upstream1.Watermark(long.MaxValue);
            upstream0.Finish();
            await job.Completion.WaitAsync(TimeSpan.FromSeconds(60));

            Assert.True(failure.Fired, "the injected failure should have fired");
            Assert.Equal(1, job.GetCheckpointMetrics().Restarts);
            Assert.True(firedBeforeTheEnd > 0);

            // The sink is at-least-once: windows fired after the restored checkpoint may come twice, none may be missing.
            Assert.Equal(Expected(events), sink.Results.Distinct().Order(StringComparer.Ordinal));
        }
        finally
        {
            await StopAndDeleteAsync(checkpointDirectory, job);
        }
    }

    /// <summary>Cancels the jobs a failed test left running (so the failure is reported, not a busy directory), then removes their checkpoints.</summary>
    private static async Task StopAndDeleteAsync(string checkpointDirectory, params JobHandle?[] jobs)
    {
        foreach (var job in jobs)
        {
            if (job is { Completion.IsCompleted: false })
            {
                await job.CancelAsync();
            }
        }

        try
        {
            if (Directory.Exists(checkpointDirectory))
            {
                Directory.Delete(checkpointDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a temporary directory.
        }
    }

    /// <summary>Feeds <paramref name="events"/> to <paramref name="writer"/> in batches of 16, each followed by the bounded-out-of-orderness watermark so far; returns the last.</summary>
    private static long WriteWithWatermarks(RepartitionWriter<Ev> writer, Ev[] events)
    {
        var newest = long.MinValue;
        var watermark = long.MinValue;
        foreach (var chunk in events.Chunk(16))
        {
            OperatorSetups.Feed(writer, chunk.Select(e => (e, e.Time)));
            newest = Math.Max(newest, chunk.Max(e => e.Time));
            watermark = newest - (long)Bound.TotalMilliseconds - 1;
            writer.Watermark(watermark);
        }

        return watermark;
    }

    /// <summary>What <see cref="CountAndSum"/> gives over one-second tumbling windows of <paramref name="events"/>, none late.</summary>
    private static List<string> Expected(IEnumerable<Ev> events) =>
        [.. events
            .GroupBy(e => (e.Key, Start: e.Time - (e.Time % 1_000)))
            .Select(g => $"{g.Key.Key}@{g.Key.Start}:{g.Count()}:{g.Sum(e => e.Value)}")
            .Order(StringComparer.Ordinal)];

    private static async Task<List<(string Value, long Timestamp)>> SingleProcessAsync(Ev[][] halves)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = Partitions });
        var sink = new CollectingSink<string>();
        Windowed(env.FromCollection(halves[0], Strategy()).Union(env.FromCollection(halves[1], Strategy()))).SinkTo(sink);
        await JobRunner.RunAsync(env, "single process");
        return [.. sink.TimestampedResults.Order()];
    }

    private static DataStream<string> Windowed(DataStream<Ev> events) =>
        events.KeyBy(e => e.Key).Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1))).Process(new CountAndSum());

    private static WatermarkStrategy<Ev> Strategy() => WatermarkStrategy.ForBoundedOutOfOrderness<Ev>(Bound).WithTimestampAssigner((e, _) => e.Time);

    /// <summary>Events over 12 keys whose times grow by up to 40 ms a record and lag the newest by less than <see cref="Bound"/>: none is late.</summary>
    private static Ev[] Events(int seed, int count)
    {
        var random = new Random(seed);
        var newest = 10_000L;
        var events = new Ev[count];
        for (var i = 0; i < count; i++)
        {
            newest += random.Next(0, 40);
            events[i] = new Ev("k" + random.Next(0, 12), newest - random.Next(0, (int)Bound.TotalMilliseconds - 50), random.Next(1, 100));
        }

        return events;
    }

    private sealed class CountAndSum : ProcessWindowFunction<Ev, string, string>
    {
        public override void Process(string key, ProcessWindowContext context, IReadOnlyList<Ev> elements, Collector<string> output) =>
            output.Collect($"{key}@{context.Window.Start}:{elements.Count}:{elements.Sum(e => e.Value)}");
    }

    /// <summary>Fails the first record it sees once armed, then passes everything (also after the restart). Thread-safe.</summary>
    private sealed class InjectedFailure
    {
        private volatile bool _armed;
        private int _fired;

        public bool Fired => Volatile.Read(ref _fired) == 1;

        public void Arm() => _armed = true;

        public string PassOrFailOnce(string result) =>
            _armed && Interlocked.Exchange(ref _fired, 1) == 0 ? throw new InvalidOperationException("Injected failure of the downstream task.") : result;
    }

    /// <summary>Stands for the application runtime's source of a downstream task: one reader of its partition.</summary>
    private sealed class ReaderSource(Func<SourceReader<Ev>> create) : Source<Ev>
    {
        public override SourceReader<Ev> CreateReader(SourceReaderContext context) => create();
    }
}
