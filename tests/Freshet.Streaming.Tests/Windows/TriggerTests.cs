using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;
using Freshet.Streaming.Windows.Triggers;

namespace Freshet.Streaming.Tests.Windows;

public sealed class TriggerTests
{
    private static WatermarkStrategy<Ev> Bounded(long ms) =>
        WatermarkStrategy.ForBoundedOutOfOrderness<Ev>(TimeSpan.FromMilliseconds(ms)).WithTimestampAssigner((e, _) => e.Time);

    [Fact]
    public async Task A_global_window_with_a_purging_count_trigger_emits_every_n_records_per_key()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<string>();
        var input = Enumerable.Range(1, 10).Select(i => new Ev(i % 2 == 0 ? "even" : "odd", i, i)).ToArray();
        env.FromCollection(input)
            .KeyBy(e => e.Key)
            .Window(GlobalWindows.Create())
            .Trigger(PurgingTrigger.Of(CountTrigger.Of<Ev>(2)))
            .Process(new SessionWindowTests.Describe())
            .SinkTo(sink);
        await JobRunner.RunAsync(env);

        // 5 records per key: two full groups of 2 each; the fifth never completes a group and is not emitted.
        var expectedWindow = GlobalWindows.Window.ToString();
        Assert.Equal([$"even {expectedWindow} 2,4", $"even {expectedWindow} 6,8", $"odd {expectedWindow} 1,3", $"odd {expectedWindow} 5,7"], sink.Results.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_count_trigger_without_purging_fires_with_everything_so_far()
    {
        var results = await SessionWindowTests.RunAsync(
            [new("a", 1, 1), new("a", 2, 2), new("a", 3, 3), new("a", 4, 4), new("a", 5, 5)],
            GlobalWindows.Create(),
            Bounded(0),
            configure: w => w.Trigger(CountTrigger.Of<Ev>(2)));
        var window = GlobalWindows.Window.ToString();
        Assert.Equal([$"a {window} 1,2", $"a {window} 1,2,3,4"], results);
    }

    [Fact]
    public async Task A_count_trigger_replaces_the_event_time_trigger_of_tumbling_windows()
    {
        // With CountTrigger(2) the window fires on every second record only, not when the watermark passes its end.
        var results = await SessionWindowTests.RunAsync(
            [new("a", 1, 1), new("a", 2, 2), new("a", 3, 3), new("a", 12, 4)],
            TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(10)),
            Bounded(0),
            configure: w => w.Trigger(CountTrigger.Of<Ev>(2)));
        Assert.Equal(["a [0, 10) 1,2"], results);
    }

    [Fact]
    public async Task Processing_time_windows_fire_when_the_clock_passes_their_end()
    {
        var clock = new ManualClock(10_000);
        // Batches of one record: with the generator blocked at record 5, records 0-3 have reached the window task
        // (record 4 waits in the exchange's one-record batch, whose buffer timeout the blocked source task cannot run).
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, Clock = clock, BatchSize = 1, BufferTimeout = TimeSpan.FromMilliseconds(5) });
        var sink = new CollectingSink<string>();
        using var gate = new ManualResetEventSlim(false);
        env.FromGenerator(
                i =>
                {
                    if (i == 5)
                    {
                        gate.Wait(JobRunner.Deadline);
                    }

                    return new Ev("a", 0, i);
                },
                6)
            .KeyBy(e => e.Key)
            .Window(TumblingProcessingTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Process(new SessionWindowTests.Describe())
            .SinkTo(sink);
        var job = await env.ExecuteAsync();

        // Records 0-3 arrive at clock 10,000: window [10000, 11000). Nothing fires until the clock passes 10,999.
        await JobRunner.WaitUntilAsync(() => job.GetMetrics().Where(m => m.OperatorName.StartsWith("Window", StringComparison.Ordinal)).Sum(m => m.RecordsIn) == 4);
        await Task.Delay(50);
        Assert.Empty(sink.Results);
        clock.NowMs = 11_000;
        await JobRunner.WaitUntilAsync(() => sink.Results.Count == 1);
        Assert.Equal(["a [10000, 11000) 0,1,2,3"], sink.Results);

        // Records 4 and 5 fall into [11000, 12000); end of input fires the pending processing-time window.
        gate.Set();
        await job.Completion.WaitAsync(JobRunner.Deadline);
        Assert.Equal(["a [10000, 11000) 0,1,2,3", "a [11000, 12000) 4,5"], sink.Results.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task WindowAll_aggregates_every_record_of_a_window_in_one_subtask(int parallelism)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = parallelism });
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        var all = env.FromGenerator(i => new Ev("k" + (i % 7), i, 1), 1000, Bounded(0))
            .WindowAll(TumblingEventTimeWindows.Of(TimeSpan.FromMilliseconds(100)))
            .Aggregate(new CountSum());
        all.SinkTo(sink);
        await JobRunner.RunAsync(env);
        Assert.Equal(1, all.Parallelism);
        Assert.Equal(10, sink.Results.Count);
        Assert.All(sink.Results, r => Assert.Equal(100, r.Count));
    }

    [Fact]
    public void A_trigger_that_cannot_merge_is_refused_for_sessions()
    {
        var windowed = StreamEnvironment.Create().FromCollection(new[] { new Ev("a", 0, 0) }).KeyBy(e => e.Key)
            .Window(EventTimeSessionWindows.WithGap(TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentException>(() => windowed.Trigger(new NonMergingTrigger()));
    }

    private sealed class NonMergingTrigger : Trigger<Ev>
    {
        public override TriggerResult OnElement(Ev element, long timestamp, TimeWindow window, TriggerContext context) => TriggerResult.Fire;

        public override TriggerResult OnEventTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

        public override TriggerResult OnProcessingTime(long time, TimeWindow window, TriggerContext context) => TriggerResult.Continue;

        public override void Clear(TimeWindow window, TriggerContext context)
        {
        }
    }
}
