using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.Windows;

public sealed class SessionWindowTests
{
    private static WatermarkStrategy<Ev> Bounded(long ms) =>
        WatermarkStrategy.ForBoundedOutOfOrderness<Ev>(TimeSpan.FromMilliseconds(ms)).WithTimestampAssigner((e, _) => e.Time);

    [Fact]
    public async Task Records_closer_than_the_gap_form_one_session_per_key()
    {
        // Gap 100: a@0 and a@100 touch ([0,100) and [100,200)) and merge; a@250 starts a new session; b is separate.
        Ev[] input = [new("a", 0, 1), new("b", 30, 10), new("a", 100, 2), new("a", 250, 3), new("b", 500, 20)];
        var results = await RunAsync(input, EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(100)), Bounded(0));
        Assert.Equal(["a [0, 200) 1,2", "a [250, 350) 3", "b [30, 130) 10", "b [500, 600) 20"], results);
    }

    [Fact]
    public async Task An_out_of_order_record_bridges_two_sessions_into_one()
    {
        // a@0 → [0,100), a@180 → [180,280); a@90 arrives late but within the bound and overlaps both: one session.
        Ev[] input = [new("a", 0, 1), new("a", 180, 2), new("a", 90, 3), new("a", 1000, 4)];
        var results = await RunAsync(input, EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(100)), Bounded(200));
        Assert.Equal(["a [0, 280) 1,2,3", "a [1000, 1100) 4"], results);
    }

    [Fact]
    public async Task A_dynamic_gap_is_chosen_per_record()
    {
        // The gap is the record's value in ms: a@0 (gap 50) and a@60 (gap 500) stay apart, a@300 joins a@60's session.
        Ev[] input = [new("a", 0, 50), new("a", 60, 500), new("a", 300, 10)];
        var results = await RunAsync(input, EventTimeSessionWindows.WithDynamicGap<Ev>(e => TimeSpan.FromMilliseconds(e.Value)), Bounded(0));
        Assert.Equal(["a [0, 50) 50", "a [60, 560) 500,10"], results);
    }

    [Fact]
    public async Task A_late_record_within_the_allowed_lateness_merges_and_fires_again_beyond_it_goes_to_the_side_output()
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<string>();
        var lateSink = new CollectingSink<Ev>();
        var late = new OutputTag<Ev>("late");

        // Monotonous watermark: b@1000 fires a's session [0,150). a@60 is late but within 2000 ms of lateness: it
        // extends the session to [0,160), which fires again at once. b@5000 passes the cleanup time (159 + 2000);
        // a@70 is then too late for any session.
        Ev[] input = [new("a", 0, 1), new("a", 50, 2), new("b", 1000, 9), new("a", 60, 3), new("b", 5000, 9), new("a", 70, 4)];
        var windowed = env.FromCollection(input, Bounded(0))
            .KeyBy(e => e.Key)
            .Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(100)))
            .AllowedLateness(TimeSpan.FromMilliseconds(2000))
            .SideOutputLateData(late)
            .Process(new Describe());
        windowed.SinkTo(sink);
        windowed.GetSideOutput(late).SinkTo(lateSink);
        await JobRunner.RunAsync(env);
        Assert.Equal(["a [0, 150) 1,2", "a [0, 160) 1,2,3", "b [1000, 1100) 9", "b [5000, 5100) 9"], sink.Results.Order(StringComparer.Ordinal));
        Assert.Equal([new Ev("a", 70, 4)], lateSink.Results);
    }

    [Fact]
    public async Task Sessions_aggregate_incrementally_by_merging_accumulators()
    {
        Ev[] input = [new("a", 0, 1), new("a", 180, 2), new("a", 90, 3)];
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        env.FromCollection(input, Bounded(200))
            .KeyBy(e => e.Key)
            .Window(EventTimeSessionWindows.WithGap(TimeSpan.FromMilliseconds(100)))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal([(("a", 3L, 6L), 279L)], sink.TimestampedResults);
    }

    internal static async Task<string[]> RunAsync(Ev[] input, WindowAssigner assigner, WatermarkStrategy<Ev> watermarks, Action<WindowedStream<string, Ev>>? configure = null)
    {
        var env = StreamEnvironment.Create(JobRunner.PerRecord());
        var sink = new CollectingSink<string>();
        var windowed = env.FromCollection(input, watermarks)
            .KeyBy(e => e.Key)
            .Window(assigner);
        configure?.Invoke(windowed);
        windowed.Process(new Describe()).SinkTo(sink);
        await JobRunner.RunAsync(env);
        return sink.Results.Order(StringComparer.Ordinal).ToArray();
    }

    internal sealed class Describe : ProcessWindowFunction<Ev, string, string>
    {
        public override void Process(string key, ProcessWindowContext context, IReadOnlyList<Ev> elements, Collector<string> output) =>
            output.Collect($"{key} {context.Window} {string.Join(",", elements.Select(e => e.Value))}");
    }
}
