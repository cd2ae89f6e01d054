using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Tests.Application.Membership;
using Freshet.Streaming.Tests.TestSupport;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Tests.Metrics;

/// <summary>
/// <see cref="JobHandle"/>'s introspection for the dashboard, read while real jobs run: the job graph as planned
/// (chains, parallelism, exchanges), per-task counters, the checkpoint history with a savepoint, and the exception
/// history of a job that restarts and then fails.
/// </summary>
public sealed class JobIntrospectionTests : IDisposable
{
    private static readonly TimeSpan WaitDeadline = TimeSpan.FromSeconds(60);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-introspection-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task KeyedWindowJob_GraphHasChainsParallelismAndAHashEdge()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2 });
        env.FromSource(new HeldOpenSource(10), WatermarkStrategy.ForMonotonousTimestamps<long>(), "numbers")
            .Map(v => v + 1)
            .WithName("plus one")
            .KeyBy(v => v % 2)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(10)))
            .Reduce((a, b) => a + b)
            .WithName("ten second sums")
            .SinkTo(new CollectingSink<long>(), "collect")
            .SetParallelism(1);
        var job = await env.ExecuteAsync("graph " + Guid.NewGuid().ToString("N"));
        try
        {
            var graph = job.GetJobGraph();

            Assert.Equal(3, graph.Vertices.Count);
            var source = graph.Vertices[0];
            Assert.Equal("numbers", source.Name);
            Assert.Equal(["numbers", "plus one"], source.OperatorNames);
            Assert.Equal(2, source.Parallelism);
            Assert.True(source.IsSource);
            Assert.False(source.IsSink);

            var window = graph.Vertices[1];
            Assert.Equal(["ten second sums"], window.OperatorNames);
            Assert.Equal(2, window.Parallelism);
            Assert.False(window.IsSource);
            Assert.False(window.IsSink);

            var sink = graph.Vertices[2];
            Assert.Equal(["collect"], sink.OperatorNames);
            Assert.Equal(1, sink.Parallelism);
            Assert.True(sink.IsSink);

            Assert.Equal(
                [new JobEdgeDescription(source.Id, window.Id, "HASH"), new JobEdgeDescription(window.Id, sink.Id, "REBALANCE")],
                graph.Edges);

            // One task per vertex subtask, named by the vertex ids of the graph; each source subtask reads its own 10
            // records, and all 20 reach the window.
            await Poll.UntilAsync(() => job.GetTaskMetrics().Where(t => t.VertexId == window.Id).Sum(t => t.RecordsIn) == 20, "the window tasks to receive the 20 records", WaitDeadline);
            var tasks = job.GetTaskMetrics();
            Assert.Equal(
                [(source.Id, 0), (source.Id, 1), (window.Id, 0), (window.Id, 1), (sink.Id, 0)],
                tasks.Select(t => (t.VertexId, t.Subtask)).Order().ToArray());
            Assert.All(tasks.Where(t => t.VertexId == source.Id), t => Assert.Equal(10, t.RecordsOut));
            Assert.All(tasks.Where(t => t.VertexId == source.Id), t => Assert.Equal(0, t.RecordsIn));
            Assert.Equal(0, tasks.Single(t => t.VertexId == sink.Id).RecordsOut);

            // A source task's watermark is its last record's time (9 s) - 1 ms.
            await Poll.UntilAsync(() => job.GetTaskMetrics().Where(t => t.VertexId == source.Id).All(t => t.CurrentWatermark == 8999), "the sources' watermarks", WaitDeadline);
            Assert.True(job.StartTime <= DateTimeOffset.UtcNow);
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task CheckpointedJob_HistoryHoldsCompletedCheckpointsWithSizesAndASavepoint()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 1,
            Checkpointing = new CheckpointingOptions { Directory = Path.Combine(_root, "checkpoints"), Interval = TimeSpan.FromMilliseconds(30) },
        });
        env.FromSource(new HeldOpenSource(50), WatermarkStrategy.ForMonotonousTimestamps<long>(), "held source")
            .KeyBy(v => v % 3)
            .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(100)))
            .Reduce((a, b) => a + b)
            .SinkTo(new CollectingSink<long>());
        var job = await env.ExecuteAsync("history " + Guid.NewGuid().ToString("N"));
        try
        {
            await Poll.UntilAsync(() => job.GetCheckpointMetrics().Completed >= 2, "two completed checkpoints", WaitDeadline);
            var savepointPath = await job.TriggerSavepointAsync(Path.Combine(_root, "savepoint"));
            Assert.False(string.IsNullOrEmpty(savepointPath));

            var history = job.GetCheckpointHistory();

            Assert.InRange(history.Count, 3, CheckpointHistoryCapacity);
            Assert.Equal(history.Select(c => c.CheckpointId).OrderDescending(), history.Select(c => c.CheckpointId));
            var savepoint = Assert.Single(history, c => c.IsSavepoint);
            Assert.Equal(CheckpointOutcome.Completed, savepoint.Outcome);
            Assert.True(savepoint.StateBytes > 0);
            Assert.NotNull(savepoint.Duration);
            Assert.Null(savepoint.FailureReason);
            var completed = history.Where(c => !c.IsSavepoint && c.Outcome == CheckpointOutcome.Completed).ToList();
            Assert.True(completed.Count >= 2);
            Assert.All(completed, c =>
            {
                Assert.True(c.StateBytes > 0);
                Assert.True(c.Duration >= TimeSpan.Zero);
                Assert.True(c.TriggeredAt >= job.StartTime);
            });
            Assert.Equal(job.GetCheckpointMetrics().Failed, history.Count(c => c.Outcome == CheckpointOutcome.Failed));
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task FailingOperator_ExceptionHistoryHasTheRestartThenTheFinalFailure()
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 1,
            Checkpointing = new CheckpointingOptions
            {
                Directory = Path.Combine(_root, "failing"),
                Interval = TimeSpan.FromMilliseconds(50),
                RestartStrategy = RestartStrategy.FixedDelay(1, TimeSpan.FromMilliseconds(10)),
            },
        });
        env.FromSource(new HeldOpenSource(10), WatermarkStrategy.ForMonotonousTimestamps<long>(), "held source")
            .Map(v => v == 5 ? throw new ArithmeticException("five is not allowed") : v)
            .WithName("refuses five")
            .SinkTo(new CollectingSink<long>());
        var job = await env.ExecuteAsync("exceptions " + Guid.NewGuid().ToString("N"));

        await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion);

        var history = job.GetExceptionHistory();
        Assert.Equal(2, history.Count);
        Assert.False(history[0].Restarted);
        Assert.True(history[1].Restarted);
        Assert.All(history, entry =>
        {
            Assert.Equal(typeof(ArithmeticException).FullName, entry.ExceptionType);
            Assert.Equal("five is not allowed", entry.Message);
            Assert.Contains("five is not allowed", entry.Details, StringComparison.Ordinal);
            Assert.Contains(nameof(ArithmeticException), entry.Details, StringComparison.Ordinal);
            // The map runs chained to the source, in the task named after the chain's head.
            Assert.Equal("held source (1/1)", entry.TaskName);
            Assert.True(entry.Timestamp >= job.StartTime);
        });
        Assert.True(history[0].Timestamp >= history[1].Timestamp);
    }

    private const int CheckpointHistoryCapacity = 20;
}
