using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.MultiInput;

public sealed class UnionConnectTests
{
    private static WatermarkStrategy<Ev> EventTime(long boundMs = 0) =>
        WatermarkStrategy.ForBoundedOutOfOrderness<Ev>(TimeSpan.FromMilliseconds(boundMs)).WithTimestampAssigner((e, _) => e.Time);

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Union_delivers_every_record_of_every_input(int parallelism)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism });
        var sink = new CollectingSink<long>();
        var a = env.FromCollection(Enumerable.Range(0, 1000).Select(i => (long)i));
        var b = env.FromGenerator(i => 10_000 + i, 2000);
        var c = env.FromCollection(new long[] { -1, -2, -3 });
        a.Union(b, c).Map(v => v * 2).SinkTo(sink);
        await JobRunner.RunAsync(env);
        var expected = Enumerable.Range(0, 1000).Select(i => (long)i)
            .Concat(Enumerable.Range(0, 2000).Select(i => 10_000L + i))
            .Concat([-1L, -2, -3])
            .Select(v => v * 2)
            .Order();
        Assert.Equal(expected, sink.Results.Order());
    }

    [Fact]
    public async Task Union_of_a_stream_with_itself_sees_each_record_twice()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<int>();
        var a = env.FromCollection(new[] { 1, 2, 3 });
        a.Union(a).SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([1, 1, 2, 2, 3, 3], sink.Results.Order());
    }

    [Fact]
    public async Task The_watermark_of_a_union_is_the_minimum_of_its_inputs()
    {
        // Input "fast" reaches time 10,000 at once; input "slow" moves in small steps. A tumbling window of 1 s over
        // the union must still count the slow input's records in their windows: the fast input alone must not have
        // advanced the watermark past them.
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<string>();
        var fast = env.FromCollection(new[] { new Ev("k", 10_000, 1) }, EventTime());
        var slow = env.FromCollection(Enumerable.Range(0, 20).Select(i => new Ev("k", i * 100, 1)).ToArray(), EventTime());
        fast.Union(slow)
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Aggregate(new CountSum(), new Describe())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(["k 0 10", "k 1000 10", "k 10000 1"], sink.Results.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Connect_maps_each_input_with_its_own_function(int parallelism)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism });
        var mapped = new CollectingSink<string>();
        var flat = new CollectingSink<string>();
        var numbers = env.FromCollection(new[] { 1, 2, 3 });
        var words = env.FromCollection(new[] { "a", "bb" });
        numbers.Connect(words).Map(n => $"n{n}", w => $"w{w}").SinkTo(mapped);
        numbers.Connect(words).FlatMap<string>(
            (n, output) =>
            {
                for (var i = 0; i < n; i++)
                {
                    output.Collect($"n{n}");
                }
            },
            (w, output) => output.Collect(w.ToUpperInvariant())).SinkTo(flat);
        await JobRunner.RunAsync(env);
        Assert.Equal(["n1", "n2", "n3", "wa", "wbb"], mapped.Results.Order(StringComparer.Ordinal));
        Assert.Equal(["A", "BB", "n1", "n2", "n2", "n3", "n3", "n3"], flat.Results.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Keyed_co_process_shares_state_and_timers_between_both_inputs(int parallelism)
    {
        // Input 1 sets a per-key threshold; input 2 are readings. Both inputs update the key's state (in either
        // order); an event-time timer registered by either input reports the key once the watermark passes.
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism, BatchSize = 1 });
        var sink = new CollectingSink<string>();
        var thresholds = env.FromCollection(new[] { new Ev("a", 0, 10), new Ev("b", 0, 100) }, EventTime());
        var readings = env.FromCollection(
            new[] { new Ev("a", 5, 5), new Ev("a", 6, 50), new Ev("b", 7, 50), new Ev("b", 8, 500), new Ev("c", 9, 1) },
            EventTime(1000));
        thresholds.Connect(readings).KeyBy(t => t.Key, r => r.Key).Process(new ThresholdAlerts()).SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(
            ["a at 1000: threshold 10, 2 readings, max 50 (alert)", "b at 1000: threshold 100, 2 readings, max 500 (alert)", "c at 1000: no threshold, 1 readings, max 1"],
            sink.Results.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Broadcast_sends_every_record_to_every_subtask(int parallelism)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism });
        var sink = new CollectingSink<int>();
        env.FromCollection(new[] { 1, 2, 3, 4 }).Broadcast().Map(v => v).SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(Enumerable.Range(1, 4).SelectMany(v => Enumerable.Repeat(v, parallelism)), sink.Results.Order());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Connecting_a_broadcast_stream_gives_every_subtask_every_rule(int parallelism)
    {
        // The broadcast pattern: each subtask of the connected operator sees all rules and its share of the data.
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism });
        var sink = new CollectingSink<string>();
        var data = env.FromGenerator(i => i, 30);
        var rules = env.FromCollection(new[] { "r1", "r2" }).Broadcast();
        data.Connect(rules).Map(d => "data", r => r).SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(30, sink.Results.Count(r => r == "data"));
        Assert.Equal(parallelism, sink.Results.Count(r => r == "r1"));
        Assert.Equal(parallelism, sink.Results.Count(r => r == "r2"));
    }

    [Fact]
    public async Task Forward_needs_equal_parallelism()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<long>();
        env.FromGenerator(i => i, 10).Forward().Map(v => v + 1).SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), sink.Results.Order());

        var mismatched = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        mismatched.FromCollection(new[] { 1 }).Forward().SinkTo(new CollectingSink<int>());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => mismatched.ExecuteAsync());
        Assert.Contains("forward needs equal parallelism", error.Message);
    }

    [Fact]
    public void Streams_of_different_environments_cannot_be_combined()
    {
        var a = StreamEnvironment.Create().FromCollection(new[] { 1 });
        var b = StreamEnvironment.Create().FromCollection(new[] { 2 });
        Assert.Throws<ArgumentException>(() => a.Union(b));
        Assert.Throws<ArgumentException>(() => a.Connect(b));
    }

    private sealed class Describe : ProcessWindowFunction<(string Key, long Count, long Sum), string, string>
    {
        public override void Process(string key, ProcessWindowContext context, IReadOnlyList<(string Key, long Count, long Sum)> elements, Collector<string> output) =>
            output.Collect($"{key} {context.Window.Start} {elements[0].Count}");
    }

    private sealed class ThresholdAlerts : KeyedCoProcessFunction<string, Ev, Ev, string>
    {
        private const long ReportAt = 1000;
        private ValueState<long> _threshold = null!;
        private ValueState<long> _readings = null!;
        private ValueState<long> _max = null!;

        public override void Open(RuntimeContext context)
        {
            _threshold = context.GetState(new ValueStateDescriptor<long>("threshold", long.MaxValue));
            _readings = context.GetState(new ValueStateDescriptor<long>("readings"));
            _max = context.GetState(new ValueStateDescriptor<long>("max", long.MinValue));
        }

        public override void ProcessElement1(Ev value, KeyedProcessContext<string> context, Collector<string> output)
        {
            _threshold.Update(value.Value);
            context.TimerService.RegisterEventTimeTimer(ReportAt);
        }

        public override void ProcessElement2(Ev value, KeyedProcessContext<string> context, Collector<string> output)
        {
            _readings.Update(_readings.Value + 1);
            _max.Update(Math.Max(_max.Value, value.Value));
            context.TimerService.RegisterEventTimeTimer(ReportAt);
        }

        public override void OnTimer(long timestamp, KeyedProcessContext<string> context, Collector<string> output)
        {
            var threshold = _threshold.HasValue ? $"threshold {_threshold.Value}" : "no threshold";
            var alert = _max.Value > _threshold.Value ? " (alert)" : string.Empty;
            output.Collect($"{context.CurrentKey} at {timestamp}: {threshold}, {_readings.Value} readings, max {_max.Value}{alert}");
        }
    }
}
