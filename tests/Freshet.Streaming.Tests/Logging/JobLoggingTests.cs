using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Logging;
using Freshet.Streaming.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace Freshet.Streaming.Tests.Logging;

/// <summary>
/// The engine's log events (docs/operations.md) from real jobs: a failure that restarts is logged with its exception
/// and the restart strategy's decision, a job that exhausts its restarts logs giving up; checkpoint aborts and slow
/// checkpoints are logged by the coordinator's I/O edge. Events are checked by id, level and structured values.
/// </summary>
public sealed class JobLoggingTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-joblog-" + Guid.NewGuid().ToString("N"));

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
    public async Task OperatorFailingOnce_LogsTheRestartWithItsCauseAndDecision()
    {
        using var log = new RecordedLog();
        var failed = 0;
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 1,
            LoggerFactory = log.Factory,
            Checkpointing = new CheckpointingOptions
            {
                Directory = Path.Combine(_root, "checkpoints"),
                Interval = TimeSpan.FromMilliseconds(20),
                RestartStrategy = RestartStrategy.FixedDelay(2, TimeSpan.FromMilliseconds(15)),
            },
        });
        var sink = new CollectingSink<long>();
        env.FromGenerator(i => i, 200)
            .Map(i =>
            {
                if (i == 100 && Interlocked.Exchange(ref failed, 1) == 0)
                {
                    throw new InvalidOperationException("injected failure");
                }

                return i;
            })
            .SinkTo(sink);

        var job = await env.ExecuteAsync("fails once");
        await job.Completion.WaitAsync(TimeSpan.FromSeconds(60));

        var started = Assert.Single(log.Events(1000));
        Assert.Equal(LogLevel.Information, started.Level);
        Assert.Equal("JobStarted", started.Id.Name);
        Assert.Equal("fails once", started.GetStructuredStateValue("JobName"));
        Assert.Equal("1", started.GetStructuredStateValue("Parallelism"));

        var taskFailed = Assert.Single(log.Events(1002));
        Assert.Equal(LogLevel.Warning, taskFailed.Level);
        Assert.Equal("injected failure", Root(taskFailed.Exception).Message);

        var restarting = Assert.Single(log.Events(1003));
        Assert.Equal(LogLevel.Warning, restarting.Level);
        Assert.Equal("injected failure", Root(restarting.Exception).Message);
        Assert.Equal("1", restarting.GetStructuredStateValue("Restart"));
        Assert.Equal("15", restarting.GetStructuredStateValue("DelayMs"));
        Assert.Contains("FixedDelay", restarting.GetStructuredStateValue("RestartStrategy"), StringComparison.Ordinal);
        Assert.Empty(log.Events(1004));

        var stopped = Assert.Single(log.Events(1001));
        Assert.Equal(LogLevel.Information, stopped.Level);
        Assert.Equal("finished", stopped.GetStructuredStateValue("Outcome"));
        Assert.Equal("1", stopped.GetStructuredStateValue("Restarts"));

        Assert.Equal("injected failure", Root(job.LastRestartCause).Message);
    }

    [Fact]
    public async Task OperatorAlwaysFailing_LogsGivingUpAfterTheLastRestart()
    {
        using var log = new RecordedLog();
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 1,
            LoggerFactory = log.Factory,
            Checkpointing = new CheckpointingOptions
            {
                Directory = Path.Combine(_root, "checkpoints"),
                Interval = TimeSpan.FromMilliseconds(20),
                RestartStrategy = RestartStrategy.FixedDelay(1, TimeSpan.FromMilliseconds(5)),
            },
        });
        env.FromGenerator(i => i, 10)
            .Map<long>(i => throw new InvalidOperationException("always fails"))
            .SinkTo(new CollectingSink<long>());

        var job = await env.ExecuteAsync("always fails");
        await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(2, log.Events(1002).Count);
        Assert.Single(log.Events(1003));
        var givenUp = Assert.Single(log.Events(1004));
        Assert.Equal(LogLevel.Error, givenUp.Level);
        Assert.Equal("JobRestartsExhausted", givenUp.Id.Name);
        Assert.Equal("always fails", givenUp.GetStructuredStateValue("JobName"));
        Assert.Equal("1", givenUp.GetStructuredStateValue("Restarts"));
        Assert.Equal("always fails", Root(givenUp.Exception).Message);

        var stopped = Assert.Single(log.Events(1001));
        Assert.Equal(LogLevel.Error, stopped.Level);
        Assert.Equal("failed", stopped.GetStructuredStateValue("Outcome"));
    }

    [Fact]
    public async Task JobWithoutCheckpointing_LogsThatItIsNotRestarted()
    {
        using var log = new RecordedLog();
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1, LoggerFactory = log.Factory });
        env.FromGenerator(i => i, 10)
            .Map<long>(i => throw new InvalidOperationException("no checkpoints"))
            .SinkTo(new CollectingSink<long>());

        var job = await env.ExecuteAsync("unprotected");
        await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion.WaitAsync(TimeSpan.FromSeconds(60)));

        var givenUp = Assert.Single(log.Events(1004));
        Assert.Equal("0", givenUp.GetStructuredStateValue("Restarts"));
        Assert.Null(job.LastRestartCause);
    }

    [Fact]
    public void DeclinedCheckpoint_IsLoggedAsAbortedWithTheReason()
    {
        using var log = new RecordedLog();
        var now = 0L;
        var executor = NewExecutor(log, timeoutMs: 1_000, () => now);

        executor.Handle(new CheckpointEvent.Tick(now = 100));
        executor.Handle(new CheckpointEvent.Declined(1, 0, "IOException: disk full"));

        var aborted = Assert.Single(log.Events(1012));
        Assert.Equal(LogLevel.Warning, aborted.Level);
        Assert.Equal(StreamingLog.CheckpointCategory, aborted.Category);
        Assert.Equal("1", aborted.GetStructuredStateValue("CheckpointId"));
        Assert.Equal("checkpoint", aborted.GetStructuredStateValue("Kind"));
        Assert.Equal("task 0 declined: IOException: disk full", aborted.GetStructuredStateValue("Reason"));
    }

    [Fact]
    public void CheckpointPastItsTimeout_IsLoggedAsAborted()
    {
        using var log = new RecordedLog();
        var now = 0L;
        var executor = NewExecutor(log, timeoutMs: 1_000, () => now);

        executor.Handle(new CheckpointEvent.Tick(now = 100));
        executor.Handle(new CheckpointEvent.Tick(now = 1_100));

        var aborted = Assert.Single(log.Events(1012));
        Assert.Equal("1", aborted.GetStructuredStateValue("CheckpointId"));
        Assert.Contains("within 1000 ms", aborted.GetStructuredStateValue("Reason"), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointLongerThanHalfItsTimeout_IsLoggedAsSlow_AFastOneAtDebug()
    {
        using var log = new RecordedLog();
        var now = 0L;
        var executor = NewExecutor(log, timeoutMs: 1_000, () => now);

        executor.Handle(new CheckpointEvent.Tick(now = 100));
        now = 150;
        executor.Handle(new CheckpointEvent.Acknowledged(1, 0, 64, 1, 2));
        executor.Handle(new CheckpointEvent.Tick(now = 200));
        now = 801;
        executor.Handle(new CheckpointEvent.Acknowledged(2, 0, 64, 3, 4));

        var completed = Assert.Single(log.Events(1010));
        Assert.Equal(LogLevel.Debug, completed.Level);
        Assert.Equal("1", completed.GetStructuredStateValue("CheckpointId"));
        Assert.Equal("50", completed.GetStructuredStateValue("DurationMs"));
        var slow = Assert.Single(log.Events(1011));
        Assert.Equal(LogLevel.Warning, slow.Level);
        Assert.Equal("2", slow.GetStructuredStateValue("CheckpointId"));
        Assert.Equal("601", slow.GetStructuredStateValue("DurationMs"));
        Assert.Equal("1000", slow.GetStructuredStateValue("TimeoutMs"));
    }

    private static Exception Root(Exception? e)
    {
        Assert.NotNull(e);
        while (e!.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private static CheckpointCommandExecutor NewExecutor(RecordedLog log, long timeoutMs, Func<long> nowMs)
    {
        var settings = new CheckpointCoordinatorSettings(IntervalMs: 50, TimeoutMs: timeoutMs, TaskCount: 1);
        var checkpointLog = new CheckpointLog(log.Factory.CreateLogger(StreamingLog.CheckpointCategory), "job", timeoutMs, nowMs);
        return new CheckpointCommandExecutor(new MemoryCheckpointStore(), settings, CheckpointCoordinatorState.Initial(0, 0), (_, _) => { }, _ => { }, log: checkpointLog);
    }

    /// <summary>Keeps nothing: enough for the coordinator's decisions, which are what is logged.</summary>
    private sealed class MemoryCheckpointStore : ICheckpointStore
    {
        public ICheckpointWriter Begin(long checkpointId) => new Writer(checkpointId);

        public void RemoveExpired()
        {
        }

        private sealed class Writer(long checkpointId) : ICheckpointWriter
        {
            public long CheckpointId => checkpointId;

            public void WriteState(string operatorUid, int subtask, ReadOnlySpan<byte> state)
            {
            }

            public string Commit() => $"memory checkpoint {checkpointId}";

            public void Abort()
            {
            }
        }
    }
}
