using System.Collections.Concurrent;
using Freshet.Streaming.Application.Topology;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Keys;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Sources;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Application.Topology;

/// <summary>
/// Runs every application task of a job as its own engine run, with repartition topics stood in for by memory, and
/// checks the tasks together compute what the single-process job computes (the real topics are tested with the
/// repartition writer and reader themselves).
/// </summary>
public sealed class ApplicationTaskGraphTests : IAsyncLifetime
{
    private const string Topic = "numbers";
    private const int Partitions = 3;
    private InProcessBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await InProcessBroker.StartAsync();
        _broker.Store.CreateTopic(Topic, Partitions);
        for (var p = 0; p < Partitions; p++)
        {
            await _broker.ProduceAsync(Topic, p, Enumerable.Range(0, 200).Select(i => ((string?)null, (string?)$"k{(i * 7 + p) % 11}:{i + p}", 1_000L + i)));
        }
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task TasksOfEverySubTopology_TogetherComputeWhatTheSingleProcessJobComputes()
    {
        var single = new CollectingSink<(string Key, long Sum)>();
        var singleEnv = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        BuildJob(singleEnv, single);
        await JobRunner.RunAsync(singleEnv);

        var sharded = new CollectingSink<(string Key, long Sum)>();
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        BuildJob(env, sharded);
        var topology = ApplicationTopology.Build("sums", env.Nodes);
        var (tasks, repartitionPartitions) = topology.CountTasks(new Dictionary<string, int> { [Topic] = Partitions }, repartitionPartitions: 4);
        var endpoints = new MemoryRepartition();
        foreach (var subTopology in topology.SubTopologies)
        {
            for (var partition = 0; partition < tasks[subTopology.Id]; partition++)
            {
                var nodes = ApplicationTaskGraph.Build(topology, subTopology.Id, partition, repartitionPartitions, maxParallelism: 128, endpoints.For(partition));
                var run = ExecutionPlanner.Plan($"task {subTopology.Id}_{partition}", nodes, new StreamEnvironmentOptions { Parallelism = 1 });
                run.Start();
                await run.Completion.WaitAsync(JobRunner.Deadline);
            }
        }

        Assert.Equal([3, 4], tasks);
        Assert.Equal(single.Results.Count, sharded.Results.Count);
        Assert.Equal(FinalSums(single.Results), FinalSums(sharded.Results));

        // Each key went to the one partition the engine's key groups pick at parallelism 4.
        var written = endpoints.Written["sums-sum-repartition"];
        foreach (var group in written.GroupBy(static w => ((string Key, long N))w.Value!).GroupBy(static g => g.Key.Key))
        {
            var expected = KeyGroups.SubtaskOf(KeyGroups.Of(KeyHash<string>.Of(group.Key), 128), 128, 4);
            Assert.All(group.SelectMany(static g => g), w => Assert.Equal(expected, w.Partition));
        }
    }

    private void BuildJob(StreamEnvironment env, CollectingSink<(string Key, long Sum)> sink) =>
        env.FromKafka(new KafkaSourceOptions { BootstrapServers = _broker.BootstrapServers, Topic = Topic, Bounded = true }, Serializers.Utf8String)
            .Map(static s => (Key: s.Split(':')[0], N: long.Parse(s.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)))
            .KeyBy(static r => r.Key)
            .Reduce(static (a, b) => (a.Key, a.N + b.N))
            .Uid("sum")
            .SinkTo(sink);

    private static SortedDictionary<string, long> FinalSums(IEnumerable<(string Key, long Sum)> results) =>
        new(results.GroupBy(static r => r.Key).ToDictionary(static g => g.Key, static g => g.Max(static r => r.Sum)), StringComparer.Ordinal);

    /// <summary>Repartition topics in memory: what writers wrote, per topic, in order, and readers over one partition of it.</summary>
    private sealed class MemoryRepartition
    {
        public ConcurrentDictionary<string, ConcurrentQueue<(int Partition, object? Value, long Timestamp)>> Written { get; } = new();

        public IRepartitionEndpoints For(int partition) => new Endpoints(this, partition);

        private sealed class Endpoints(MemoryRepartition topics, int partition) : IRepartitionEndpoints
        {
            public SourceReader<T> CreateReader<T>(RepartitionEdge edge, SourceReaderContext context) =>
                new CollectionSourceReader<T>(topics.Written.GetValueOrDefault(edge.Topic, new()).Where(w => w.Partition == partition).Select(static w => (T)w.Value!).ToArray());

            public Operator<T> CreateWriter<T>(OperatorSetup setup, RepartitionEdge edge, Router<T> router) =>
                new Writer<T>(setup, router, topics.Written.GetOrAdd(edge.Topic, static _ => new()));

            public WatermarkStrategy<T> ReaderWatermarks<T>() => WatermarkStrategy.NoWatermarks<T>();
        }

        private sealed class Writer<T>(OperatorSetup setup, Router<T> router, ConcurrentQueue<(int, object?, long)> topic) : Operator<T>(setup)
        {
            protected override void ProcessBatch(StreamBatch<T> batch)
            {
                var targets = new int[batch.Count];
                router.Route(batch.Values.AsSpan(0, batch.Count), targets);
                for (var i = 0; i < batch.Count; i++)
                {
                    topic.Enqueue((targets[i], batch.Values[i], batch.Timestamps[i]));
                }
            }

            protected override void OnWatermark(long watermark)
            {
            }

            protected override void OnIdle()
            {
            }

            protected override void OnFinish()
            {
            }
        }
    }
}
