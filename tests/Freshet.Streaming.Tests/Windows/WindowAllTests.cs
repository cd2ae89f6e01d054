using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.Windows;

/// <summary>Non-keyed windows (<c>WindowAll</c>): every record of the stream in one window operator at parallelism 1.</summary>
public sealed class WindowAllTests
{
    [Fact]
    public async Task WindowAll_ParallelSource_OneSubtaskSeesAllRecords()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 4, BatchSize = 32, BufferTimeout = TimeSpan.FromMilliseconds(2) });
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        // 1000 records at t = value = i, keys k0..k6, in tumbling windows of 100 ms: window w holds i in
        // [100w, 100w + 100) whatever its key, count 100 and sum 100·100w + 4950.
        env.FromGenerator(i => new Ev("k" + (i % 7), i, i), 1000, WatermarkStrategy.ForBoundedOutOfOrderness<Ev>(TimeSpan.FromMilliseconds(10)).WithTimestampAssigner((e, _) => e.Time))
            .WindowAll(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100)))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        var job = await JobRunner.RunAsync(env);
        var expected = Enumerable.Range(0, 10).Select(w => (100L, (100L * 100 * w) + 4950, (100L * w) + 99)).ToArray();
        Assert.Equal(expected, sink.TimestampedResults.Select(r => (r.Value.Count, r.Value.Sum, r.Timestamp)).OrderBy(r => r.Item3).ToArray());
        var window = Assert.Single(job.GetMetrics(), m => m.OperatorName == "WindowAll(Aggregate)");
        Assert.Equal(1, window.Parallelism);
        Assert.Equal(1000, window.RecordsIn);
    }

    [Fact]
    public async Task WindowAll_ProcessAndReduce_SeeWholeWindow()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var described = new CollectingSink<string>();
        var reduced = new CollectingSink<Ev>();
        Ev[] input = [new("a", 1, 1), new("b", 4, 2), new("c", 12, 3)];
        var stream = env.FromCollection(input, WatermarkStrategy.ForMonotonousTimestamps<Ev>().WithTimestampAssigner((e, _) => e.Time));
        stream.WindowAll(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)))
            .Process(new DescribeAll())
            .SinkTo(described);
        stream.WindowAll(EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(5)))
            .Reduce((x, y) => new Ev(x.Key + y.Key, Math.Max(x.Time, y.Time), x.Value + y.Value))
            .SinkTo(reduced);
        await JobRunner.RunAsync(env);
        Assert.Equal(["[0, 10) a,b", "[10, 20) c"], described.Results);
        Assert.Equal([new Ev("ab", 4, 3), new Ev("c", 12, 3)], reduced.Results);
    }

    [Fact]
    public async Task WindowAll_TumblingProcessingTime_FiresWhenClockReachesWindowMaxTimestamp()
    {
        var clock = new ManualClock(1_000);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, Clock = clock, BufferTimeout = TimeSpan.FromMilliseconds(2) });
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        var seen = new CollectingSink<Ev>();
        var firstThree = env.FromGenerator(i => new Ev("k", i, i)).Filter(e => e.Time < 3);
        firstThree.WindowAll(TumblingProcessingTimeWindows.Of(TimeSpan.FromMilliseconds(100)))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        firstThree.SinkTo(seen);
        var job = await env.ExecuteAsync();
        await JobRunner.WaitUntilAsync(() => seen.Results.Count == 3);

        // The window runs in its own task behind an exchange: wait until it has the records before moving the clock.
        await JobRunner.WaitUntilAsync(() => job.GetMetrics().Where(m => m.OperatorName.StartsWith("WindowAll", StringComparison.Ordinal)).Sum(m => m.RecordsIn) == 3);
        // [1000, 1100) fires when the clock reaches its last millisecond, 1099 (as Flink's ProcessingTimeTrigger).
        clock.NowMs = 1_098;
        await Task.Delay(50);
        Assert.Empty(sink.Results);
        clock.NowMs = 1_099;
        await JobRunner.WaitUntilAsync(() => sink.Results.Count == 1);
        Assert.Equal([(("k", 3L, 3L), 1_099L)], sink.TimestampedResults);
        await job.CancelAsync();
    }

    [Fact]
    public async Task WindowAll_SlidingProcessingTime_EachRecordInBothWindows()
    {
        var clock = new ManualClock(1_000);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, Clock = clock, BufferTimeout = TimeSpan.FromMilliseconds(2) });
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        var seen = new CollectingSink<Ev>();
        var firstThree = env.FromGenerator(i => new Ev("k", i, i + 1)).Filter(e => e.Time < 3);
        // At 1000 the records fall in [900, 1100) and [1000, 1200).
        firstThree.WindowAll(SlidingProcessingTimeWindows.Of(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(100)))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        firstThree.SinkTo(seen);
        var job = await env.ExecuteAsync();
        await JobRunner.WaitUntilAsync(() => seen.Results.Count == 3);

        // The records must have reached the window task (a separate task behind an exchange) before the clock moves,
        // or they would be assigned to the windows of the new time.
        await JobRunner.WaitUntilAsync(() => job.GetMetrics().Where(m => m.OperatorName.StartsWith("WindowAll", StringComparison.Ordinal)).Sum(m => m.RecordsIn) == 3);
        clock.NowMs = 1_100;
        await JobRunner.WaitUntilAsync(() => sink.Results.Count == 1);
        clock.NowMs = 1_250;
        await JobRunner.WaitUntilAsync(() => sink.Results.Count == 2);
        Assert.Equal([(("k", 3L, 6L), 1_099L), (("k", 3L, 6L), 1_199L)], sink.TimestampedResults);
        await job.CancelAsync();
    }

    private sealed class DescribeAll : ProcessWindowFunction<Ev, string, byte>
    {
        public override void Process(byte key, ProcessWindowContext context, IReadOnlyList<Ev> elements, Collector<string> output) =>
            output.Collect($"{context.Window} {string.Join(",", elements.Select(e => e.Key))}");
    }
}
