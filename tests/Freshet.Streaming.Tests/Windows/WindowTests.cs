using Freshet.Log;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.Windows;

/// <summary>
/// Event-time windows against hand-computed results. The environment uses one record per batch, so the source emits a
/// watermark after every record and each expectation below can be worked out by hand.
/// </summary>
public sealed class WindowTests
{
    private static WatermarkStrategy<Ev> Bounded(long ms) =>
        WatermarkStrategy.ForBoundedOutOfOrderness<Ev>(TimeSpan.FromMilliseconds(ms)).WithTimestampAssigner((e, _) => e.Time);

    [Fact]
    public async Task Tumbling_OutOfOrderWithinBound_CountedInTheirWindows()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        // Bound 5: after t=12 the watermark is 6, so t=9 and t=3 are still on time for [0, 10); t=16 moves it to 10.
        Ev[] input = [new("a", 1, 1), new("a", 7, 2), new("a", 3, 3), new("a", 12, 4), new("a", 9, 5), new("a", 16, 6)];
        env.FromCollection(input, Bounded(5))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([(("a", 4L, 11L), 9L), (("a", 2L, 10L), 19L)], sink.TimestampedResults);
    }

    [Fact]
    public async Task Tumbling_LateWithinAndBeyondAllowedLateness_RefiresThenSideOutputs()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        var lateSink = new CollectingSink<Ev>();
        var late = new OutputTag<Ev>("late");
        // Monotonous: t=12 → watermark 11 fires [0,10). t=8 is late but within 5 ms lateness (cleanup at 9+5=14):
        // the window fires again with it. t=16 → watermark 15 purges [0,10); t=3 is then too late → side output.
        Ev[] input = [new("a", 1, 1), new("a", 5, 2), new("a", 12, 3), new("a", 8, 4), new("a", 16, 5), new("a", 3, 6)];
        var windowed = env.FromCollection(input, Bounded(0))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)))
            .AllowedLateness(TimeSpan.FromMilliseconds(5))
            .SideOutputLateData(late)
            .Aggregate(new CountSum());
        windowed.SinkTo(sink);
        windowed.GetSideOutput(late).SinkTo(lateSink);
        await JobRunner.RunAsync(env);
        Assert.Equal([("a", 2L, 3L), ("a", 3L, 7L), ("a", 2L, 8L)], sink.Results);
        Assert.Equal([new Ev("a", 3, 6)], lateSink.Results);
    }

    [Fact]
    public async Task Tumbling_LateWithoutLatenessOrSideOutput_Dropped()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        Ev[] input = [new("a", 1, 1), new("a", 10, 2), new("a", 9, 100), new("b", 2, 7)];
        env.FromCollection(input, Bounded(0))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([("a", 1L, 1L), ("a", 1L, 2L)], sink.Results);
    }

    [Fact]
    public async Task Sliding_OverlappingWindows_EachRecordInEveryWindowItFalls()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<string>();
        Ev[] input = [new("a", 1, 1), new("a", 6, 2), new("a", 12, 4)];
        env.FromCollection(input, Bounded(0))
            .KeyBy(e => e.Key)
            .Window(SlidingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(5)))
            .Process(new DescribeWindow())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(["a [-5, 5) 1", "a [0, 10) 1,2", "a [5, 15) 2,4", "a [10, 20) 4"], sink.Results);
    }

    [Fact]
    public async Task AggregateWithProcessWindowFunction_SeesKeyBoundsAndResult()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<string>();
        Ev[] input = [new("x", 100, 5), new("y", 150, 1), new("x", 199, 6), new("x", 200, 7)];
        env.FromCollection(input, Bounded(0))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100)))
            .Aggregate(new CountSum(), new FormatResult())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(["x [100, 200) count 2 sum 11", "y [100, 200) count 1 sum 1", "x [200, 300) count 1 sum 7"], sink.Results.Order().OrderBy(s => s.Contains("[200", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Tumbling_WithOffset_WindowsShifted()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<string>();
        Ev[] input = [new("a", 2, 1), new("a", 3, 2), new("a", 14, 3)];
        env.FromCollection(input, Bounded(0))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(3)))
            .Process(new DescribeWindow())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(["a [-7, 3) 1", "a [3, 13) 2", "a [13, 23) 3"], sink.Results);
    }

    [Fact]
    public async Task Window_RecordWithoutTimestamp_FailsNamingTheWindowOperator()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        env.FromCollection([new Ev("a", 1, 1)])
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Aggregate(new CountSum())
            .SinkTo(new CollectingSink<(string, long, long)>());
        var job = await env.ExecuteAsync();
        var error = await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion.WaitAsync(JobRunner.Deadline));
        Assert.Equal("Window(Aggregate)", error.OperatorName);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal(JobStatus.Failed, job.Status);
    }

    [Fact]
    public async Task IdleSubtask_WithIdleness_DoesNotHoldBackWindows()
    {
        var directory = Path.Combine(Path.GetTempPath(), "freshet-idle-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = LogStore.Open(directory, new LogStoreOptions { BackgroundMaintenance = false });
            store.CreateTopic("events", 2);
            LogTopics.Append(store, "events", 0, [(1, "a", 1), (5, "a", 2), (25, "a", 3)]);

            // Partition 1 stays empty: its subtask is idle after 50 ms and leaves the window's watermark minimum,
            // so window [0, 10) fires although that subtask never sends a watermark.
            var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2, BatchSize = 16, BufferTimeout = TimeSpan.FromMilliseconds(5) });
            var sink = new CollectingSink<(string Key, long Count, long Sum)>();
            env.FromLogTopic(store, "events", LogTopics.ToEv, new LogSourceOptions(), WatermarkStrategy.ForMonotonousTimestamps<Ev>().WithIdleness(TimeSpan.FromMilliseconds(50)))
                .KeyBy(e => e.Key)
                .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)))
                .Aggregate(new CountSum())
                .SinkTo(sink);
            var job = await env.ExecuteAsync();
            await JobRunner.WaitUntilAsync(() => sink.Results.Count >= 1);
            await job.CancelAsync();
            Assert.Equal(("a", 2L, 3L), sink.Results[0]);
            Assert.Equal(JobStatus.Cancelled, job.Status);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task IdleSubtask_WithoutIdleness_HoldsBackWindows()
    {
        var directory = Path.Combine(Path.GetTempPath(), "freshet-idle-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = LogStore.Open(directory, new LogStoreOptions { BackgroundMaintenance = false });
            store.CreateTopic("events", 2);
            LogTopics.Append(store, "events", 0, [(1, "a", 1), (5, "a", 2), (25, "a", 3)]);
            var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2, BatchSize = 16, BufferTimeout = TimeSpan.FromMilliseconds(5) });
            var sink = new CollectingSink<(string Key, long Count, long Sum)>();
            env.FromLogTopic(store, "events", LogTopics.ToEv, new LogSourceOptions(), WatermarkStrategy.ForMonotonousTimestamps<Ev>())
                .KeyBy(e => e.Key)
                .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)))
                .Aggregate(new CountSum())
                .SinkTo(sink);
            var job = await env.ExecuteAsync();
            await JobRunner.WaitUntilAsync(() => job.GetMetrics().Any(m => m.OperatorName.StartsWith("Log Source", StringComparison.Ordinal) && m.RecordsOut == 3));
            await Task.Delay(300);
            Assert.Empty(sink.Results);
            var window = job.GetMetrics().Where(m => m.OperatorName == "Window(Aggregate)").ToArray();
            Assert.All(window, m => Assert.Equal(long.MinValue, m.CurrentWatermark));
            await job.CancelAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class DescribeWindow : ProcessWindowFunction<Ev, string, string>
    {
        public override void Process(string key, ProcessWindowContext context, IReadOnlyList<Ev> elements, Collector<string> output) =>
            output.Collect($"{key} {context.Window} {string.Join(",", elements.Select(e => e.Value))}");
    }

    private sealed class FormatResult : ProcessWindowFunction<(string Key, long Count, long Sum), string, string>
    {
        public override void Process(string key, ProcessWindowContext context, IReadOnlyList<(string Key, long Count, long Sum)> elements, Collector<string> output)
        {
            var r = Assert.Single(elements);
            output.Collect($"{key} {context.Window} count {r.Count} sum {r.Sum}");
        }
    }
}
