using System.Globalization;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.Application;
using Freshet.Streaming.Tests.Application.Membership;
using Freshet.Streaming.Tests.TestSupport;
using Serializers = Freshet.Streaming.Serialization.Serializers;

namespace Freshet.Streaming.Tests.Tables;

/// <summary>
/// Interactive queries in application mode against a real broker: an instance answers for the partitions it runs
/// (every partition, when it is the only instance), routing each key to the application task of its partition.
/// </summary>
[Collection(ApplicationTimingCollection.Name)]
public sealed class QueryableApplicationModeTests : IAsyncLifetime
{
    private const int Partitions = 3;
    private const int RecordsPerPartition = 40;
    private readonly string _stateRoot = Path.Combine(Path.GetTempPath(), "freshet-queryable-app", Guid.NewGuid().ToString("N"));
    private InProcessBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await InProcessBroker.StartAsync();
        _broker.Store.CreateTopic("in", Partitions);
        _broker.Store.CreateTopic("out", 1);
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        if (Directory.Exists(_stateRoot))
        {
            Directory.Delete(_stateRoot, recursive: true);
        }
    }

    [Fact]
    public async Task OneInstance_KeysOfEveryPartition_ReadFromTheirTasks()
    {
        for (var p = 0; p < Partitions; p++)
        {
            await _broker.ProduceAsync("in", p, Enumerable.Range(0, RecordsPerPartition).Select(i => ((string?)null, (string?)$"k{(i + p) % 7}:{i}", 1_000L + i)));
        }

        var env = Environment();
        var job = await env.ExecuteAsync("queryable-app");
        try
        {
            var expected = Enumerable.Range(0, Partitions)
                .SelectMany(p => Enumerable.Range(0, RecordsPerPartition).Select(i => (Key: $"k{(i + p) % 7}", N: (long)i)))
                .GroupBy(static r => r.Key)
                .ToDictionary(static g => g.Key, static g => g.Sum(static r => r.N));

            await Poll.UntilAsync(() => expected.All(e => ReadOrNull(job, e.Key) == e.Value), () => "every key's sum readable", TimeSpan.FromSeconds(90));
            var sums = job.GetQueryableTable<string, long>("sums");
            Assert.Equal(expected.OrderBy(static e => e.Key, StringComparer.Ordinal).ToList(), sums.Scan(default, 100).ToList());
            Assert.Equal(expected.Count, sums.CountKeys());
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task TwoInstances_EachAnswersForItsPartitionsAndNamesThePartitionOfTheOthers()
    {
        for (var p = 0; p < Partitions; p++)
        {
            await _broker.ProduceAsync("in", p, Enumerable.Range(0, RecordsPerPartition).Select(i => ((string?)null, (string?)$"k{(i + p) % 7}:{i}", 1_000L + i)));
        }

        var expected = Enumerable.Range(0, Partitions)
            .SelectMany(p => Enumerable.Range(0, RecordsPerPartition).Select(i => (Key: $"k{(i + p) % 7}", N: (long)i)))
            .GroupBy(static r => r.Key)
            .ToDictionary(static g => g.Key, static g => g.Sum(static r => r.N));
        var first = await Environment().ExecuteAsync("queryable-app-1");
        var second = await Environment().ExecuteAsync("queryable-app-2");
        try
        {
            // Once the two instances share the tasks, each key is read on exactly one of them; the other names its partition.
            await Poll.UntilAsync(
                () => first.Application!.Tasks.Count > 0 && second.Application!.Tasks.Count > 0 &&
                      expected.All(e => (ReadOrNull(first, e.Key) ?? ReadOrNull(second, e.Key)) == e.Value),
                () => "every key's sum readable on one of the instances",
                TimeSpan.FromSeconds(90));
            var elsewhere = 0;
            foreach (var key in expected.Keys)
            {
                foreach (var instance in new[] { first, second })
                {
                    try
                    {
                        instance.GetQueryableTable<string, long>("sums").TryGet(key, out _);
                    }
                    catch (InvalidOperationException e)
                    {
                        Assert.Contains("not open on this instance", e.Message, StringComparison.Ordinal);
                        elsewhere++;
                    }
                }
            }

            Assert.InRange(elsewhere, 1, expected.Count);
        }
        finally
        {
            await Task.WhenAll(first.CancelAsync(), second.CancelAsync());
        }
    }

    private StreamEnvironment Environment()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Application = new ApplicationOptions
            {
                ApplicationId = "queryable",
                BootstrapServers = _broker.BootstrapServers,
                SessionTimeout = TimeSpan.FromSeconds(6),
                HeartbeatInterval = TimeSpan.FromMilliseconds(500),
                StateDirectory = Path.Combine(_stateRoot, Guid.NewGuid().ToString("N")),
            },
        });
        env.FromKafka(new KafkaSourceOptions { BootstrapServers = _broker.BootstrapServers, Topic = "in" }, Serializers.Utf8String).Uid("in")
            .Map(static s => (Key: s.Split(':')[0], N: long.Parse(s.Split(':')[1], CultureInfo.InvariantCulture))).Uid("parse")
            .KeyBy(static r => r.Key)
            .Process(new SumPerKey()).Uid("sums")
            .Map(static n => n.ToString(CultureInfo.InvariantCulture)).Uid("format")
            .SinkToKafka(new KafkaSinkOptions { BootstrapServers = _broker.BootstrapServers, Topic = "out" }, Serializers.Utf8String).Uid("out");
        return env;
    }

    /// <summary>The key's sum, or null while it is absent or its task is not open yet.</summary>
    private static long? ReadOrNull(Jobs.JobHandle job, string key)
    {
        try
        {
            return job.GetQueryableTable<string, long>("sums").TryGet(key, out var sum) ? sum : null;
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Sums each key's numbers in a value state marked queryable as "sums".</summary>
    private sealed class SumPerKey : KeyedProcessFunction<string, (string Key, long N), long>
    {
        private ValueState<long>? _sum;

        public override void Open(RuntimeContext context) => _sum = context.GetState(new ValueStateDescriptor<long>("sum") { QueryableName = "sums" });

        public override void ProcessElement((string Key, long N) value, KeyedProcessContext<string> context, Collector<long> output)
        {
            _sum!.Update(_sum.Value + value.N);
            output.Collect(_sum.Value);
        }
    }
}
