using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;
using Freshet.Streaming.Windows.Triggers;

namespace Freshet.Streaming.Tests.Windows;

/// <summary>Count, purging and user triggers on event-time and global windows, against hand-computed results (one record per batch).</summary>
public sealed class TriggerCrossCheckTests
{
    private static WatermarkStrategy<Ev> Bounded(long ms) =>
        WatermarkStrategy.ForBoundedOutOfOrderness<Ev>(TimeSpan.FromMilliseconds(ms)).WithTimestampAssigner((e, _) => e.Time);

    private static readonly Ev[] FiveAndOne = [new("a", 0, 1), new("a", 0, 2), new("b", 0, 10), new("a", 0, 3), new("a", 0, 4), new("a", 0, 5)];

    [Fact]
    public async Task GlobalWindow_CountTrigger_FiresEveryNRecordsPerKeyKeepingContents()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        // a gets 5 records: fires after the 2nd (1+2) and the 4th (1+2+3+4, contents kept). The 5th and b's single
        // record never fire: a global window fires only through its trigger.
        env.FromCollection(FiveAndOne)
            .KeyBy(e => e.Key)
            .Window(GlobalWindows.Create())
            .Trigger(CountTrigger.Of<Ev>(2))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([(("a", 2L, 3L), long.MaxValue - 1), (("a", 4L, 10L), long.MaxValue - 1)], sink.TimestampedResults);
    }

    [Fact]
    public async Task GlobalWindow_PurgingCountTrigger_EachFiringSeesOnlyNewRecords()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        env.FromCollection(FiveAndOne)
            .KeyBy(e => e.Key)
            .Window(GlobalWindows.Create())
            .Trigger(PurgingTrigger.Of(CountTrigger.Of<Ev>(2)))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([("a", 2L, 3L), ("a", 2L, 7L)], sink.Results);
    }

    [Fact]
    public async Task GlobalWindow_DefaultTrigger_NeverFires()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        env.FromCollection(FiveAndOne)
            .KeyBy(e => e.Key)
            .Window(GlobalWindows.Create())
            .Aggregate(new CountSum())
            .SinkTo(sink);
        var job = await JobRunner.RunAsync(env);
        Assert.Empty(sink.Results);
        Assert.Equal(6, job.GetMetrics().Single(m => m.OperatorName == "Window(Aggregate)").RecordsIn);
    }

    [Fact]
    public async Task Tumbling_CountTriggerReplacesEventTimeTrigger_FiresByCountOnly()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        // Window [0, 10) gets 3 records: fires after the 2nd; the 3rd is dropped with the window at watermark 9
        // (no event-time firing any more). [10, 20) gets 2 and fires after the 2nd. Results carry the window's end − 1.
        Ev[] input = [new("a", 1, 1), new("a", 2, 2), new("a", 3, 3), new("a", 11, 11), new("a", 12, 12)];
        env.FromCollection(input, Bounded(0))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)))
            .Trigger(CountTrigger.Of<Ev>(2))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([(("a", 2L, 3L), 9L), (("a", 2L, 23L), 19L)], sink.TimestampedResults);
    }

    [Fact]
    public async Task Session_CountTrigger_MergedWindowsAddTheirCounts()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        // Count 3, gap 10, bound 100 (nothing fires by time). a@0 → [0, 10) count 1; a@20 → [20, 30) count 1;
        // a@10 → [10, 20) touches both: merged [0, 30) with count 1 + 1, plus this record = 3 → fires (3 records).
        Ev[] input = [new("a", 0, 1), new("a", 20, 2), new("a", 10, 3)];
        env.FromCollection(input, Bounded(100))
            .KeyBy(e => e.Key)
            .Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(10)))
            .Trigger(CountTrigger.Of<Ev>(3))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([(("a", 3L, 6L), 29L)], sink.TimestampedResults);
    }

    [Fact]
    public async Task Tumbling_UserTrigger_FiresOnEveryRecordWithRunningContents()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        Ev[] input = [new("a", 1, 1), new("a", 2, 2), new("a", 15, 4)];
        env.FromCollection(input, Bounded(0))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)))
            .Trigger(new FireEveryRecord())
            .Aggregate(new CountSum())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([("a", 1L, 1L), ("a", 2L, 3L), ("a", 1L, 4L)], sink.Results);
    }

    [Fact]
    public void CountTrigger_CountBelowOne_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CountTrigger.Of<Ev>(0));
    }
}
