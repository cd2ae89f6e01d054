using System.Globalization;
using Confluent.Kafka;
using Freshet.Streaming.Application.Assignment;
using Freshet.Streaming.Application.Instance;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Tests.Application.Membership;
using Freshet.Streaming.Tests.TestSupport;
using Serializers = Freshet.Streaming.Serialization.Serializers;

namespace Freshet.Streaming.Tests.Application;

/// <summary>What <see cref="JobHandle.Application"/> reports about an instance's tasks, against a real broker: input lag that grows with unread input and falls to nothing once it is processed.</summary>
[Collection(ApplicationTimingCollection.Name)]
public sealed class ApplicationInstanceStatusTests : IAsyncLifetime
{
    private const int Partitions = 3;
    private const int RecordsPerPartition = 60;
    private InProcessBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await InProcessBroker.StartAsync();
        _broker.Store.CreateTopic("in", Partitions);
        _broker.Store.CreateTopic("out", 1);
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public void InputLag_SumsEndMinusCommittedOverATasksInputs()
    {
        var a = new TopicPartition("in", 1);
        var b = new TopicPartition("app-x-repartition", 1);
        var c = new TopicPartition("in", 2);
        var inputs = new Dictionary<TaskId, IReadOnlyList<TopicPartition>> { [new TaskId(0, 1)] = [a, b], [new TaskId(0, 2)] = [c], [new TaskId(1, 1)] = [new TopicPartition("unknown", 1)] };

        var lag = TaskInputLag.Compute(inputs, new Dictionary<TopicPartition, long> { [a] = 10, [c] = 50 }, new Dictionary<TopicPartition, long> { [a] = 15, [b] = 7, [c] = 40 });

        Assert.Equal(new Dictionary<TaskId, long> { [new TaskId(0, 1)] = 5 + 7, [new TaskId(0, 2)] = 0 }, lag);
    }

    [Fact]
    public async Task TasksReportTheirInputLag_WhichFallsToNothingOnceTheInputIsProcessed()
    {
        for (var p = 0; p < Partitions; p++)
        {
            await _broker.ProduceAsync("in", p, Enumerable.Range(0, RecordsPerPartition).Select(i => ((string?)null, (string?)$"k{i % 5}:{i}", 1_000L + i)));
        }

        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Application = new ApplicationOptions
            {
                ApplicationId = "lagging",
                BootstrapServers = _broker.BootstrapServers,
                SessionTimeout = TimeSpan.FromSeconds(6),
                HeartbeatInterval = TimeSpan.FromMilliseconds(500),
            },
        });
        env.FromKafka(new KafkaSourceOptions { BootstrapServers = _broker.BootstrapServers, Topic = "in" }, Serializers.Utf8String).Uid("in")
            .Map(static s =>
            {
                Thread.Sleep(50);
                return (Key: s.Split(':')[0], N: long.Parse(s.Split(':')[1], CultureInfo.InvariantCulture));
            })
            .Uid("slow")
            .KeyBy(static r => r.Key)
            .Reduce(static (a, b) => (a.Key, a.N + b.N))
            .Uid("totals")
            .Map(static r => $"{r.Key}:{r.N}")
            .SinkToKafka(new KafkaSinkOptions { BootstrapServers = _broker.BootstrapServers, Topic = "out" }, Serializers.Utf8String)
            .Uid("out");
        var job = await env.ExecuteAsync("lagging");
        try
        {
            var sources = Enumerable.Range(0, Partitions).Select(static p => new TaskId(0, p).ToString()).ToHashSet(StringComparer.Ordinal);
            await Poll.UntilAsync(
                () => job.Application!.Tasks.Any(t => sources.Contains(t.TaskId) && t.InputLag > 0),
                () => "a source task reporting unread input: " + Describe(job),
                TimeSpan.FromSeconds(60));

            // Source topics are written without transactions, so their lag reaches 0. A repartition partition keeps the
            // commit markers of the upstream tasks' last transactions beyond the committed offset (Kafka's tools count
            // them too): at most one per upstream task, since idle tasks write nothing more.
            await Poll.UntilAsync(
                () => job.Application!.Tasks.Count == 2 * Partitions && job.Application.Tasks.All(t => sources.Contains(t.TaskId) ? t.InputLag == 0 : t.InputLag is >= 0 and <= Partitions),
                () => "every task caught up: " + Describe(job),
                TimeSpan.FromSeconds(90));
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    private static string Describe(JobHandle job) => string.Join(", ", job.Application!.Tasks.Select(static t => $"{t.TaskId}:{t.State}:lag={t.InputLag}"));
}
