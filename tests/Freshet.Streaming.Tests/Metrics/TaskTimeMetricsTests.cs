using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Tests.Application.Membership;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Freshet.Streaming.Tests.Metrics;

/// <summary>
/// Task times as Flink defines them, and the checkpoint phase and state-size instruments, read through OpenTelemetry's
/// in-memory exporter from real jobs: a task feeding a slow task is backpressured while the slow one is busy; a task
/// with nothing to read is idle; completed checkpoints record their phases and each stateful operator's state size.
/// Each test's job has its own name, and only its points are read.
/// </summary>
public sealed class TaskTimeMetricsTests : IDisposable
{
    private static readonly TimeSpan WaitDeadline = TimeSpan.FromSeconds(60);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-task-times-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        // A cancelled job's last checkpoint may still be finishing its asynchronous write for a moment.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(100);
            }
        }
    }

    [Fact]
    public async Task SlowTaskDownstream_BackpressuresTheUpstreamTaskAndIsBusyItself()
    {
        var exported = new List<MetricSnapshot>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter("Freshet.Streaming").AddInMemoryExporter(exported).Build();
        var jobName = "task times backpressure " + Guid.NewGuid().ToString("N");
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, BatchSize = 64 });

        // The source can emit far faster than the throttled map (at least 250 µs a record) takes records, so the
        // map's input gate fills up and the source task waits for room.
        env.FromSource(new HeldOpenSource(1_000_000), WatermarkStrategy.ForMonotonousTimestamps<long>(), "fast source")
            .Rebalance()
            .Map(v =>
            {
                Throttle.OneRecord();
                return v;
            })
            .WithName("slow map")
            .SinkTo(new CollectingSink<long>());
        var job = await env.ExecuteAsync(jobName);
        try
        {
            await Poll.UntilAsync(
                () =>
                {
                    provider.ForceFlush();
                    return TaskTime(exported, "freshet.task.backpressured.time", jobName, "fast source") > 0.2
                        && TaskTime(exported, "freshet.task.busy.time", jobName, "Rebalance") > 0.2;
                },
                "the source task to be backpressured and the slow task busy",
                WaitDeadline);

            // The slow task has no output, so it never waits for room; it always has input, so it hardly idles.
            Assert.Equal(0, TaskTime(exported, "freshet.task.backpressured.time", jobName, "Rebalance"));
            Assert.True(TaskTime(exported, "freshet.task.busy.time", jobName, "Rebalance") > TaskTime(exported, "freshet.task.idle.time", jobName, "Rebalance"));
            Assert.True(Point(exported, "freshet.task.input.queue.length", jobName, "Rebalance").GetGaugeLastValueLong() > 0);
            Assert.Empty(Points(exported, "freshet.task.input.queue.length", jobName, "fast source"));
            Assert.Equal("s", exported.Last(m => m.Name == "freshet.task.backpressured.time").Unit);
            Assert.Equal("{batch}", exported.Last(m => m.Name == "freshet.task.input.queue.length").Unit);

            // The same split through the handle: one task per vertex subtask.
            var graph = job.GetJobGraph();
            var sourceVertex = graph.Vertices.Single(v => v.Name == "fast source").Id;
            var source = job.GetTaskMetrics().Single(t => t.VertexId == sourceVertex);
            Assert.True(source.BackpressuredTime > TimeSpan.Zero);
            Assert.Equal(0, source.InputQueueLength);
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task NothingToRead_TasksAreIdle()
    {
        var exported = new List<MetricSnapshot>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter("Freshet.Streaming").AddInMemoryExporter(exported).Build();
        var jobName = "task times idle " + Guid.NewGuid().ToString("N");
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        env.FromSource(new HeldOpenSource(0), WatermarkStrategy.ForMonotonousTimestamps<long>(), "empty source")
            .Rebalance()
            .SinkTo(new CollectingSink<long>());
        var job = await env.ExecuteAsync(jobName);
        try
        {
            await Poll.UntilAsync(
                () =>
                {
                    provider.ForceFlush();
                    return TaskTime(exported, "freshet.task.idle.time", jobName, "empty source") > 0.2
                        && TaskTime(exported, "freshet.task.idle.time", jobName, "Rebalance") > 0.2;
                },
                "both tasks to be idle",
                WaitDeadline);

            Assert.Equal(0, TaskTime(exported, "freshet.task.backpressured.time", jobName, "empty source"));
            Assert.Equal(0, TaskTime(exported, "freshet.task.backpressured.time", jobName, "Rebalance"));
            Assert.Equal(0, Point(exported, "freshet.task.input.queue.length", jobName, "Rebalance").GetGaugeLastValueLong());
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task CompletedCheckpoints_RecordPhasesAndEachOperatorsStateSize()
    {
        var exported = new List<MetricSnapshot>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter("Freshet.Streaming").AddInMemoryExporter(exported).Build();
        var jobName = "checkpoint phases " + Guid.NewGuid().ToString("N");
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            Checkpointing = new CheckpointingOptions { Directory = Path.Combine(_root, "checkpoints"), Interval = TimeSpan.FromMilliseconds(30) },
        });
        env.FromSource(new HeldOpenSource(50), WatermarkStrategy.ForMonotonousTimestamps<long>(), "held source")
            .KeyBy(v => v % 3)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(100)))
            .Reduce((a, b) => a + b)
            .WithName("sums")
            .SinkTo(new CollectingSink<long>());
        var job = await env.ExecuteAsync(jobName);
        try
        {
            await Poll.UntilAsync(() => job.GetCheckpointMetrics().Completed >= 2, "two completed checkpoints", WaitDeadline);
            provider.ForceFlush();

            foreach (var name in new[] { "freshet.checkpoint.alignment.duration", "freshet.checkpoint.sync.duration", "freshet.checkpoint.async.duration" })
            {
                var histogram = Assert.Single(exported.Last(m => m.Name == name).MetricPoints, p => ExportedMetrics.Tag(p, "freshet.job.name") == jobName);
                Assert.True(histogram.GetHistogramCount() >= 2, name);
                Assert.True(histogram.GetHistogramSum() >= 0, name);
                Assert.Equal("s", exported.Last(m => m.Name == name).Unit);
            }

            // The window keeps keyed state, the source its position; the sink is stateless and writes no state.
            var windowBytes = Point(exported, "freshet.operator.state.size", jobName, "sums", "freshet.operator.name").GetGaugeLastValueLong();
            Assert.True(windowBytes > 0);
            Assert.True(Point(exported, "freshet.operator.state.size", jobName, "held source", "freshet.operator.name").GetGaugeLastValueLong() > 0);
            Assert.Equal("By", exported.Last(m => m.Name == "freshet.operator.state.size").Unit);
            var total = exported.Last(m => m.Name == "freshet.operator.state.size").MetricPoints.Where(p => ExportedMetrics.Tag(p, "freshet.job.name") == jobName).Sum(p => p.GetGaugeLastValueLong());
            Assert.Contains(total, job.GetCheckpointHistory().Where(c => c.Outcome == CheckpointOutcome.Completed).Select(c => c.StateBytes));
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    /// <summary>The value of a task-time counter of the single task of <paramref name="taskName"/> in the newest export; 0 before the first.</summary>
    private static double TaskTime(List<MetricSnapshot> exported, string name, string jobName, string taskName)
    {
        var points = exported.Any(m => m.Name == name) ? Points(exported, name, jobName, taskName) : [];
        return points.Count == 0 ? 0 : Assert.Single(points).GetSumDouble();
    }

    private static MetricPoint Point(List<MetricSnapshot> exported, string name, string jobName, string taskName, string tag = "freshet.task.name") =>
        Assert.Single(Points(exported, name, jobName, taskName, tag));

    private static List<MetricPoint> Points(List<MetricSnapshot> exported, string name, string jobName, string taskName, string tag = "freshet.task.name") =>
        ExportedMetrics.Points(exported, name, jobName, tag, taskName);
}
