using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.Windows;

/// <summary>Keyed processing-time windows driven by a manual clock.</summary>
public sealed class ProcessingTimeWindowTests
{
    [Fact]
    public async Task KeyedTumblingProcessingTime_WindowsPerKeyFireWithTheClock()
    {
        var clock = new ManualClock(5_000);
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2, Clock = clock, BufferTimeout = TimeSpan.FromMilliseconds(2) });
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        // Records need no event time. Keys a (i = 0, 2, 4) and b (i = 1, 3) arrive while the clock reads 5000, so all
        // land in [5000, 6000) of their key, which fires when the clock reaches 5999.
        env.FromGenerator(i => new Ev(i % 2 == 0 ? "a" : "b", 0, i))
            .Filter(e => e.Value < 5)
            .KeyBy(e => e.Key)
            .Window(TumblingProcessingTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        var job = await env.ExecuteAsync();
        await JobRunner.WaitUntilAsync(() => job.GetMetrics().Where(m => m.OperatorName == "Window(Aggregate)").Sum(m => m.RecordsIn) == 5);
        // RecordsIn is counted as a batch enters the operator; give it time to finish that batch before the clock moves.
        await Task.Delay(100);
        Assert.Empty(sink.Results);
        clock.NowMs = 5_999;
        await JobRunner.WaitUntilAsync(() => sink.Results.Count == 2);
        Assert.Equal([(("a", 3L, 6L), 5_999L), (("b", 2L, 4L), 5_999L)], sink.TimestampedResults.OrderBy(r => r.Value.Key));
        await job.CancelAsync();
    }
}
