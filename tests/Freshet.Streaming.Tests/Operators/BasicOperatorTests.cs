using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.Print;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tests.Operators;

public sealed class BasicOperatorTests
{
    [Fact]
    public async Task Map_EveryRecord_Transformed()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var sink = new CollectingSink<long>();
        env.FromCollection(Enumerable.Range(1, 5000)).Map(i => (long)i * 2).SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(Enumerable.Range(1, 5000).Select(i => (long)i * 2), sink.Results);
    }

    [Fact]
    public async Task Filter_Predicate_KeepsMatchingInOrder()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var sink = new CollectingSink<int>();
        env.FromCollection(Enumerable.Range(0, 3000)).Filter(i => i % 3 == 0).SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i * 3), sink.Results);
    }

    [Fact]
    public async Task FlatMap_ZeroOrMoreOutputs_AllEmittedWithInputTimestamp()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, BatchSize = 4 });
        var sink = new CollectingSink<int>();
        env.FromCollection([0, 1, 2, 3], WatermarkStrategy.ForMonotonousTimestamps<int>().WithTimestampAssigner((v, _) => v * 10))
            .FlatMap<int>((v, output) =>
            {
                for (var i = 0; i < v; i++)
                {
                    output.Collect(v);
                }
            })
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([(1, 10L), (2, 20L), (2, 20L), (3, 30L), (3, 30L), (3, 30L)], sink.TimestampedResults);
    }

    [Fact]
    public async Task MapAtParallelism4_AfterCollectionSource_RebalancesAndKeepsEveryRecord()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 4, BatchSize = 16 });
        var sink = new CollectingSink<int>();
        env.FromCollection(Enumerable.Range(0, 10_000)).Map(i => i + 1).SinkTo(sink);
        var job = await JobRunner.RunAsync(env);
        Assert.Equal(Enumerable.Range(1, 10_000), sink.Results.Order());
        var mapSubtasks = job.GetMetrics().Where(m => m.OperatorName == "Map").ToArray();
        Assert.Equal(4, mapSubtasks.Length);
        Assert.All(mapSubtasks, m => Assert.True(m.RecordsIn > 0));
        Assert.Equal(10_000, mapSubtasks.Sum(m => m.RecordsIn));
    }

    [Fact]
    public async Task KeyByReduce_Rolling_EmitsRunningSumPerKey()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<Ev>();
        var input = new[] { new Ev("a", 1, 1), new Ev("b", 2, 10), new Ev("a", 3, 2), new Ev("a", 4, 3), new Ev("b", 5, 20) };
        env.FromCollection(input).KeyBy(e => e.Key).Reduce((x, y) => x with { Value = x.Value + y.Value, Time = y.Time }).SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([1L, 3L, 6L], sink.Results.Where(e => e.Key == "a").Select(e => e.Value));
        Assert.Equal([10L, 30L], sink.Results.Where(e => e.Key == "b").Select(e => e.Value));
    }

    [Fact]
    public async Task KeyByAggregate_Rolling_EmitsResultAfterEachRecord()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 3 });
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        var input = Enumerable.Range(0, 30).Select(i => new Ev("k" + (i % 3), i, i)).ToArray();
        env.FromCollection(input).KeyBy(e => e.Key).Aggregate(new CountSum()).SinkTo(sink);
        await JobRunner.RunAsync(env);
        var last = sink.Results.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Last());
        Assert.Equal(30, sink.Results.Count);
        Assert.Equal((10L, 135L), (last["k0"].Count, last["k0"].Sum));
        Assert.Equal((10L, 145L), (last["k1"].Count, last["k1"].Sum));
        Assert.Equal((10L, 155L), (last["k2"].Count, last["k2"].Sum));
    }

    [Fact]
    public async Task StreamConsumedTwice_BothBranchesSeeEveryRecord()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var left = new CollectingSink<int>();
        var right = new CollectingSink<int>();
        var numbers = env.FromCollection(Enumerable.Range(0, 100));
        numbers.Map(i => i * 2).SinkTo(left);
        numbers.Filter(i => i < 10).SinkTo(right);
        await JobRunner.RunAsync(env);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 2), left.Results);
        Assert.Equal(Enumerable.Range(0, 10), right.Results);
    }

    [Fact]
    public async Task Generator_BoundedParallel_ProducesEveryIndexOnce()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 3 });
        var sink = new CollectingSink<long>();
        env.FromGenerator(i => i, count: 10_001).SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(Enumerable.Range(0, 10_001).Select(i => (long)i), sink.Results.Order());
    }

    [Fact]
    public async Task Generator_RateLimited_TakesAtLeastTheRateTime()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var sink = new CollectingSink<long>();
        env.FromGenerator(i => i, count: 300, recordsPerSecond: 1000).SinkTo(sink);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await JobRunner.RunAsync(env);
        Assert.Equal(300, sink.Results.Count);
        Assert.True(started.ElapsedMilliseconds >= 250, $"took {started.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Print_Records_WrittenToConsoleSinkWriter()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        var output = new StringWriter();
        env.FromCollection(["x", "y"]).SinkTo(new ConsoleSink<string>("p", output));
        await JobRunner.RunAsync(env);
        Assert.Equal("p:x\np:y\n", output.ToString());
    }
}
