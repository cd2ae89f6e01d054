using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Runtime;

/// <summary>Sources that hold after a barrier until its checkpoint completed: what an application task's transaction commit relies on.</summary>
public sealed class SourceHoldTests
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
        var run = ExecutionPlanner.Plan("hold", env.Nodes, options, store: store, holdSourcesUntilComplete: hold);
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
