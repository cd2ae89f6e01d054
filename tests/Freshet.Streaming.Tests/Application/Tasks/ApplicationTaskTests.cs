using System.Globalization;
using AdminClientBuilder = Confluent.Kafka.AdminClientBuilder;
using AdminClientConfig = Confluent.Kafka.AdminClientConfig;
using Freshet.Streaming.Application.Assignment;
using Freshet.Streaming.Application.Instance;
using Freshet.Streaming.Application.Tasks;
using Freshet.Streaming.Application.Topology;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.Application.Tasks;

/// <summary>
/// Every task of an application run by hand in one process, against a real broker: repartition topics, changelogs and
/// one transaction per commit, checked against the single-process engine.
/// </summary>
[Collection(ApplicationTimingCollection.Name)]
public sealed class ApplicationTaskTests : IAsyncLifetime
{
    private const int Partitions = 3;
    private InProcessBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await InProcessBroker.StartAsync();
        _broker.Store.CreateTopic("in", Partitions);
        _broker.Store.CreateTopic("out", 1);
        for (var p = 0; p < Partitions; p++)
        {
            await _broker.ProduceAsync("in", p, Enumerable.Range(0, 300).Select(i => ((string?)null, (string?)$"k{(i * 7 + p) % 10}:{i}", 1_000L + (i * 7))));
        }
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task AllTasks_WriteExactlyWhatTheSingleProcessJobComputes()
    {
        var expected = await SingleProcessResultsAsync();
        var (context, tasks) = Application("sums");

        foreach (var task in tasks)
        {
            task.Start();
        }

        await Task.WhenAll(tasks.Select(static t => t.Completion)).WaitAsync(TimeSpan.FromSeconds(240));
        context.Topics.Dispose();

        Assert.All(tasks, static t => Assert.Equal(ApplicationTaskState.Finished, t.State));
        Assert.Equal(3, context.Topology.SubTopologies.Count);
        var output = _broker.ConsumeAll("out", 1, expected.Count).Select(static r => r.Message.Value!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, output);
    }

    private async Task<List<string>> SingleProcessResultsAsync()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<string>();
        BuildJob(env).SinkTo(sink);
        await JobRunner.RunAsync(env);
        return [.. sink.Results.Order(StringComparer.Ordinal)];
    }

    private (ApplicationContext Context, List<ApplicationTask> Tasks) Application(string applicationId)
    {
        var options = new StreamEnvironmentOptions
        {
            Application = new ApplicationOptions { ApplicationId = applicationId, BootstrapServers = _broker.BootstrapServers, CommitInterval = TimeSpan.FromMilliseconds(50) },
        };
        var env = StreamEnvironment.Create(options);
        BuildJob(env).SinkToKafka(new KafkaSinkOptions { BootstrapServers = _broker.BootstrapServers, Topic = "out" }, Serializers.Utf8String);
        var topology = ApplicationTopology.Build(applicationId, env.Nodes);
        var (tasksPerSubTopology, repartition) = topology.CountTasks(new Dictionary<string, int> { ["in"] = Partitions }, null);
        var topics = new InternalTopics(new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _broker.BootstrapServers }).Build(), -1, TimeSpan.FromSeconds(10));
        foreach (var (topic, partitions) in repartition)
        {
            topics.Ensure(topic, partitions, compacted: false);
        }

        var context = new ApplicationContext(options.Application!, options, topology, tasksPerSubTopology, repartition, topics) { RequestTimeout = TimeSpan.FromSeconds(10) };
        var tasks = topology.SubTopologies
            .SelectMany(s => Enumerable.Range(0, tasksPerSubTopology[s.Id]).Select(p => new ApplicationTask(context, new TaskId(s.Id, p), new TaskChangelogCopy())))
            .ToList();
        return (context, tasks);
    }

    /// <summary>Sums per key in 100 ms event-time windows, then a running total per key over the windows.</summary>
    private DataStream<string> BuildJob(StreamEnvironment env) =>
        env.FromKafka(new KafkaSourceOptions { BootstrapServers = _broker.BootstrapServers, Topic = "in", Bounded = true }, Serializers.Utf8String, WatermarkStrategy.ForBoundedOutOfOrderness<string>(TimeSpan.FromMilliseconds(5)))
            .Map(static s => (Key: s.Split(':')[0], N: long.Parse(s.Split(':')[1], CultureInfo.InvariantCulture)))
            .KeyBy(static r => r.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100)))
            .Reduce(static (a, b) => (a.Key, a.N + b.N))
            .Uid("window-sums")
            .KeyBy(static r => r.Key)
            .Reduce(static (a, b) => (a.Key, a.N + b.N))
            .Uid("running-totals")
            .Map(static r => $"{r.Key}:{r.N}");
}
