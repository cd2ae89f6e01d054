using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.Runtime;

public sealed class JobLifecycleTests
{
    [Fact]
    public async Task ExecuteAsync_UserExceptionInMap_FailsNamingOperatorAndSubtask()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        env.FromGenerator(i => i, count: 1_000)
            .Map<long>(i => i == 777 ? throw new FormatException("bad record 777") : i)
            .WithName("Parse")
            .SinkTo(new CollectingSink<long>());
        var job = await env.ExecuteAsync();
        var error = await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion.WaitAsync(JobRunner.Deadline));
        Assert.Equal("Parse", error.OperatorName);
        Assert.Equal(777 % 2, error.Subtask);
        Assert.IsType<FormatException>(error.InnerException);
        Assert.Contains("Operator 'Parse' (subtask 2/2) failed: bad record 777", error.Message);
        Assert.Equal(JobStatus.Failed, job.Status);
    }

    [Fact]
    public async Task ExecuteAsync_ExceptionInKeySelector_FailsAndStopsUnboundedSource()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        env.FromGenerator(i => i)
            .KeyBy<long>(i => i > 5000 ? throw new InvalidOperationException("no key") : i % 7)
            .Reduce((a, b) => a + b)
            .SinkTo(new CollectingSink<long>());
        var job = await env.ExecuteAsync();
        var error = await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion.WaitAsync(JobRunner.Deadline));
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public async Task CancelAsync_UnboundedJob_StopsAndReportsCancelled()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<long>();
        env.FromGenerator(i => i, recordsPerSecond: 10_000).KeyBy(i => i % 3).Reduce((a, b) => a + b).SinkTo(sink);
        var job = await env.ExecuteAsync();
        await JobRunner.WaitUntilAsync(() => sink.Results.Count > 10);
        await job.CancelAsync();
        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.True(job.Completion.IsCanceled);
    }

    [Fact]
    public async Task ExecuteAsync_CancellationToken_CancelsJob()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        env.FromGenerator(i => i, recordsPerSecond: 1000).SinkTo(new CollectingSink<long>());
        using var cts = new CancellationTokenSource();
        var job = await env.ExecuteAsync("cancel me", cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.Completion.WaitAsync(JobRunner.Deadline));
        Assert.Equal(JobStatus.Cancelled, job.Status);
    }

    [Fact]
    public async Task ExecuteAsync_Twice_Throws()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        env.FromCollection([1]).SinkTo(new CollectingSink<int>());
        await JobRunner.RunAsync(env);
        await Assert.ThrowsAsync<InvalidOperationException>(() => env.ExecuteAsync());
    }

    [Fact]
    public async Task GetMetrics_BoundedWindowJob_CountsRecordsAndFinalWatermark()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        var sink = new CollectingSink<(string Key, long Count, long Sum)>();
        env.FromGenerator(i => new Ev("k" + (i % 4), i, 1), count: 4000, WatermarkStrategy.ForMonotonousTimestamps<Ev>().WithTimestampAssigner((e, _) => e.Time))
            .KeyBy(e => e.Key)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
            .Aggregate(new CountSum())
            .SinkTo(sink);
        var job = await JobRunner.RunAsync(env);
        var metrics = job.GetMetrics();
        Assert.Equal(4000, metrics.Where(m => m.OperatorName == "Generator Source").Sum(m => m.RecordsOut));
        var window = metrics.Where(m => m.OperatorName == "Window(Aggregate)").ToArray();
        Assert.Equal(4000, window.Sum(m => m.RecordsIn));
        Assert.Equal(16, window.Sum(m => m.RecordsOut));
        Assert.All(window, m => Assert.Equal(long.MaxValue, m.CurrentWatermark));
        Assert.Equal(16, metrics.Where(m => m.OperatorName == "Sink").Sum(m => m.RecordsIn));
        Assert.Equal(JobStatus.Finished, job.Status);
    }

    [Fact]
    public void Create_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 4, MaxParallelism = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamEnvironment.Create(new StreamEnvironmentOptions { BatchSize = 0 }));
    }
}
