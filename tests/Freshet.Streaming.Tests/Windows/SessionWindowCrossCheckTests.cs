using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.Windows;

/// <summary>
/// Event-time session windows against a second, independent set of hand-computed results (cross-check of
/// <see cref="SessionWindowTests"/>). One record per batch, so the source emits a watermark
/// after every record (bounded out-of-orderness B: watermark = max time − B − 1).
/// </summary>
public sealed class SessionWindowCrossCheckTests
{
    private static WatermarkStrategy<Ev> Bounded(long ms) =>
        WatermarkStrategy.ForBoundedOutOfOrderness<Ev>(TimeSpan.FromMilliseconds(ms)).WithTimestampAssigner((e, _) => e.Time);

    [Fact]
    public async Task Session_OutOfOrderRecordBridgesTwoSessions_MergedIntoOne()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<string>();
        // Gap 10, bound 20. a@1 and a@5 make [1, 15); a@22 makes [22, 32); the late-arriving a@13 opens [13, 23),
        // which overlaps both, so all three merge into [1, 32). b@16 is its own session [16, 26). a@50 moves the
        // watermark to 29: b's [16, 26) fires (25 ≤ 29); end of input fires a's [1, 32) and [50, 60).
        Ev[] input = [new("a", 1, 1), new("a", 5, 2), new("a", 22, 3), new("a", 13, 4), new("b", 16, 100), new("a", 50, 5)];
        env.FromCollection(input, Bounded(20))
            .KeyBy(e => e.Key)
            .Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(10)))
            .Process(new DescribeWindow())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([("b [16, 26) 100", 25L), ("a [1, 32) 1,2,3,4", 31L), ("a [50, 60) 5", 59L)], sink.TimestampedResults);
    }

    [Fact]
    public async Task Session_AggregateMerge_CombinesAccumulators()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        // Same sessions as above, through an incremental aggregate: the merged session's accumulator is the Merge of
        // [1, 15) (count 2, sum 3), [22, 32) (1, 3) and the new record (1, 4).
        Ev[] input = [new("a", 1, 1), new("a", 5, 2), new("a", 22, 3), new("a", 13, 4), new("a", 50, 5)];
        env.FromCollection(input, Bounded(20))
            .KeyBy(e => e.Key)
            .Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(10)))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([(("a", 4L, 10L), 31L), (("a", 1L, 5L), 59L)], sink.TimestampedResults);
    }

    [Fact]
    public async Task Session_DynamicGap_GapTakenFromEachRecord()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        // The value is the gap. a@1 gap 5 → [1, 6); a@10 gap 20 → [10, 30); a@8 gap 3 → [8, 11) overlaps [10, 30)
        // → [8, 30) but not [1, 6). a@100 gap 1 moves the watermark to 89: [1, 6) and [8, 30) fire; the end fires [100, 101).
        Ev[] input = [new("a", 1, 5), new("a", 10, 20), new("a", 8, 3), new("a", 100, 1)];
        env.FromCollection(input, Bounded(10))
            .KeyBy(e => e.Key)
            .Window(EventTimeSessionWindows.WithDynamicGap<Ev>(e => TimeSpan.FromMilliseconds(e.Value)))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([(("a", 1L, 5L), 5L), (("a", 2L, 23L), 29L), (("a", 1L, 1L), 100L)], sink.TimestampedResults);
    }

    [Fact]
    public async Task Session_LateWithinAndBeyondAllowedLateness_MergedAndRefiredThenSideOutput()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        var lateSink = new CollectingSink<Ev>();
        var late = new OutputTag<Ev>("late");
        // Gap 10, monotonous watermark (time − 1), lateness 20. a@1, a@5 → [1, 15). a@30 → watermark 29 fires
        // [1, 15) (count 2 sum 3); its state stays until 14 + 20 = 34. a@12 is late but within lateness: [12, 22)
        // merges with [1, 15) into [1, 22), which is already past the watermark, so it fires at once (count 3 sum 7).
        // a@50 → watermark 49 fires [30, 40) and purges [1, 22) (cleanup 41). a@3 → [3, 13) is past cleanup
        // (12 + 20 ≤ 49): side output. The end fires [50, 60).
        Ev[] input = [new("a", 1, 1), new("a", 5, 2), new("a", 30, 3), new("a", 12, 4), new("a", 50, 5), new("a", 3, 6)];
        var windowed = env.FromCollection(input, Bounded(0))
            .KeyBy(e => e.Key)
            .Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(10)))
            .AllowedLateness(TimeSpan.FromMilliseconds(20))
            .SideOutputLateData(late)
            .Aggregate(new CountSum());
        windowed.SinkTo(sink);
        windowed.GetSideOutput(late).SinkTo(lateSink);
        await JobRunner.RunAsync(env);
        Assert.Equal([(("a", 2L, 3L), 14L), (("a", 3L, 7L), 21L), (("a", 1L, 3L), 39L), (("a", 1L, 5L), 59L)], sink.TimestampedResults);
        Assert.Equal([new Ev("a", 3, 6)], lateSink.Results);
    }

    [Fact]
    public async Task Session_LateWithoutLateness_DroppedAndSessionNotReopened()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        // a@30 → watermark 29 fires and purges [1, 11). a@2 → [2, 12) is past cleanup (11 ≤ 29): dropped.
        Ev[] input = [new("a", 1, 1), new("a", 30, 2), new("a", 2, 100)];
        env.FromCollection(input, Bounded(0))
            .KeyBy(e => e.Key)
            .Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(10)))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([("a", 1L, 1L), ("a", 1L, 2L)], sink.Results);
    }

    [Fact]
    public async Task Session_LateRecordBridgesFiredAndOpenSession_MergedWindowFiresAtItsNewEnd()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        // The value is the gap; monotonous watermark (time − 1), lateness 50. a@1 → [1, 11); a@25 → [25, 35) and
        // watermark 24 fires [1, 11) (kept until 10 + 50). a@5 with gap 30 → [5, 35) bridges the fired [1, 11) and the
        // open [25, 35) into [1, 35), whose end is still ahead of the watermark: no firing yet. a@60 → watermark 59
        // fires [1, 35) with all three records; the end fires [60, 61).
        Ev[] input = [new("a", 1, 10), new("a", 25, 10), new("a", 5, 30), new("a", 60, 1)];
        env.FromCollection(input, Bounded(0))
            .KeyBy(e => e.Key)
            .Window(EventTimeSessionWindows.WithDynamicGap<Ev>(e => TimeSpan.FromMilliseconds(e.Value)))
            .AllowedLateness(TimeSpan.FromMilliseconds(50))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([(("a", 1L, 10L), 10L), (("a", 3L, 50L), 34L), (("a", 1L, 1L), 60L)], sink.TimestampedResults);
    }

    [Fact]
    public void Session_GapNotPositive_Rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EventTimeSessionWindows.WithGap(TimeSpan.Zero));
    }

    /// <summary>Lists the window's values in ascending order (merging does not keep arrival order).</summary>
    private sealed class DescribeWindow : ProcessWindowFunction<Ev, string, string>
    {
        public override void Process(string key, ProcessWindowContext context, IReadOnlyList<Ev> elements, Collector<string> output) =>
            output.Collect($"{key} {context.Window} {string.Join(",", elements.Select(e => e.Value).Order())}");
    }
}
