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
    public async Task KeyByCutIntoRepartitionTopic_WindowResultsEqualTheSingleProcessEngines(bool upstreamCheckpoints)
    {
        _broker.Store.CreateTopic(Topic, Partitions);
        var halves = new[] { Events(seed: 1, count: 400), Events(seed: 2, count: 300) };

        var expected = await SingleProcessAsync(halves);
        Assert.True(expected.Count > 20, "the input should fill many windows");

        var sinks = new CollectingSink<string>[Partitions];
        var downstream = new List<JobHandle>();
        for (var p = 0; p < Partitions; p++)
        {
            sinks[p] = new CollectingSink<string>();
            var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
            var partition = p;
            var source = new ReaderSource(() => new RepartitionSourceReader<Ev>(
                Topic, partition, StartingOffsets.Earliest, upstreamTaskCount: 2, Serializers.Default<Ev>(), new ConsumerConfig { BootstrapServers = _broker.BootstrapServers, FetchWaitMaxMs = 20 }, endAtFinalWatermark: true, TimeSpan.FromSeconds(15)));
            Windowed(env.FromSource(source, WatermarkStrategy.DrivenByReader<Ev>())).SinkTo(sinks[p]);
            downstream.Add(await env.ExecuteAsync($"downstream {p}"));
        }

        var checkpoints = Path.Combine(Path.GetTempPath(), "freshet-repartition-cp-" + Guid.NewGuid().ToString("N"));
        var producers = new[] { RepartitionTestKit.Producer(_broker), RepartitionTestKit.Producer(_broker) };
        try
        {
            var upstream = new List<JobHandle>();
            for (var task = 0; task < 2; task++)
            {
                var env = StreamEnvironment.Create(new StreamEnvironmentOptions
                {
                    Parallelism = 1,

                    // Small batches: the upstream watermark advances every 16 records, so windows fire all along the way.
                    BatchSize = 16,
                    Checkpointing = upstreamCheckpoints ? new CheckpointingOptions { Directory = Path.Combine(checkpoints, task.ToString(System.Globalization.CultureInfo.InvariantCulture)), Interval = TimeSpan.FromMilliseconds(10) } : null,
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
            foreach (var producer in producers)
            {
                producer.Dispose();
            }

            if (Directory.Exists(checkpoints))
            {
                Directory.Delete(checkpoints, recursive: true);
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

    /// <summary>Stands for the application runtime's source of a downstream task: one reader of its partition.</summary>
    private sealed class ReaderSource(Func<SourceReader<Ev>> create) : Source<Ev>
    {
        public override SourceReader<Ev> CreateReader(SourceReaderContext context) => create();
    }
}
