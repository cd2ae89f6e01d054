using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Runtime;

/// <summary>Tasks that hold after a snapshot until its checkpoint completed (sources read nothing, timers wait): what an application task's transaction commit relies on.</summary>
public sealed class CheckpointHoldTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Commit_WhileACheckpointCommits_HoldingSourcesWriteNothingMore(bool hold)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, BatchSize = 16, BufferTimeout = TimeSpan.FromMilliseconds(1) });
        var sink = new CollectingSink<long>();
        env.FromGenerator(static i => i, count: null).Map(static i => i * 2).SinkTo(sink);
        var store = new BlockingStore();
        var options = env.Options with
        {
            Checkpointing = new CheckpointingOptions { Directory = Path.Combine(Path.GetTempPath(), "freshet-unused"), Interval = TimeSpan.FromMilliseconds(20), RestartStrategy = RestartStrategy.None },
        };
        var run = ExecutionPlanner.Plan("hold", env.Nodes, options, store: store, holdUntilCheckpointComplete: hold);
        run.Start();

        Assert.True(store.CommitEntered.Wait(JobRunner.Deadline));
        var atCommit = sink.Results.Count;
        await Task.Delay(200);
        var afterWaiting = sink.Results.Count;
        store.Release.Set();
        await JobRunner.WaitUntilAsync(() => sink.Results.Count > afterWaiting);
        run.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.Completion.WaitAsync(JobRunner.Deadline));

        if (hold)
        {
            Assert.Equal(atCommit, afterWaiting);
        }
        else
        {
            Assert.True(afterWaiting > atCommit, "Without holding, the source reads on while the checkpoint commits.");
        }
    }

    /// <summary>
    /// A processing-time timer that falls due while a checkpoint commits must wait for the commit: its output would go
    /// into the committing transaction while its state change (the timer gone) belongs to the next checkpoint, so a
    /// restore from the committed one would fire it — and write its output — a second time.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Commit_WhileACheckpointCommits_HoldingTasksFireNoProcessingTimeTimer(bool hold)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, BatchSize = 16, BufferTimeout = TimeSpan.FromMilliseconds(1) });
        var sink = new CollectingSink<string>();
        env.FromGenerator(static i => i, count: null).KeyBy(static i => i % 4).Process(new AlarmAfter20Ms()).SinkTo(sink);
        var store = new BlockingStore();
        var options = env.Options with
        {
            Checkpointing = new CheckpointingOptions { Directory = Path.Combine(Path.GetTempPath(), "freshet-unused"), Interval = TimeSpan.FromMilliseconds(20), RestartStrategy = RestartStrategy.None },
        };
        var run = ExecutionPlanner.Plan("hold-timers", env.Nodes, options, store: store, holdUntilCheckpointComplete: hold);
        run.Start();

        Assert.True(store.CommitEntered.Wait(JobRunner.Deadline));
        var atCommit = Alarms(sink);
        await Task.Delay(200);
        var afterWaiting = Alarms(sink);
        store.Release.Set();
        await JobRunner.WaitUntilAsync(() => Alarms(sink) > afterWaiting);
        run.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.Completion.WaitAsync(JobRunner.Deadline));

        if (hold)
        {
            Assert.Equal(atCommit, afterWaiting);
        }
        else
        {
            Assert.True(afterWaiting > atCommit, "Without holding, timers due during the commit fire during it.");
        }
    }

    private static int Alarms(CollectingSink<string> sink) => sink.Results.Count(static r => r.StartsWith("alarm", StringComparison.Ordinal));

    /// <summary>Registers a processing-time timer 20 ms ahead for each element (one per key and millisecond); each firing writes an alarm.</summary>
    private sealed class AlarmAfter20Ms : KeyedProcessFunction<long, long, string>
    {
        public override void ProcessElement(long value, KeyedProcessContext<long> context, Collector<string> output) =>
            context.TimerService.RegisterProcessingTimeTimer(context.TimerService.CurrentProcessingTime + 20);

        public override void OnTimer(long timestamp, KeyedProcessContext<long> context, Collector<string> output) =>
            output.Collect($"alarm {context.CurrentKey} at {timestamp}");
    }

    /// <summary>A store whose first commit waits until the test releases it.</summary>
    private sealed class BlockingStore : ICheckpointStore
    {
        public ManualResetEventSlim CommitEntered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public ICheckpointWriter Begin(long checkpointId) => new Writer(this, checkpointId);

        public void RemoveExpired()
        {
        }

        private sealed class Writer(BlockingStore store, long checkpointId) : ICheckpointWriter
        {
            public long CheckpointId => checkpointId;

            public void WriteState(string operatorUid, int subtask, ReadOnlySpan<byte> state)
            {
            }

            public string Commit()
            {
                store.CommitEntered.Set();
                store.Release.Wait();
                return "test";
            }

            public void Abort()
            {
            }
        }
    }
}
