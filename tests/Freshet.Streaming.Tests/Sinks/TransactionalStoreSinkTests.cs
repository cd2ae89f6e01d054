using System.Globalization;
using Freshet.Streaming.Examples;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Sinks;

/// <summary>
/// The example exactly-once sink written against the public two-phase-commit contract
/// (<see cref="TransactionalStoreSink{T}"/>, in Freshet.Streaming.Examples) in running jobs.
/// </summary>
public sealed class TransactionalStoreSinkTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-txstore-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // The first test writes checkpoints here; the second never creates the directory.
        }
    }

    [Fact]
    public async Task JobFailsMidStreamAndRestarts_StoreHoldsEveryRecordOnceAndNoOpenTransaction()
    {
        const int count = 20_000;
        var store = new TransactionalStore();
        var failed = 0;
        var committedBeforeFailure = -1;
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = 2,
            BufferTimeout = TimeSpan.FromMilliseconds(5),
            Checkpointing = new CheckpointingOptions
            {
                Directory = Path.Combine(_root, "checkpoints"),
                Interval = TimeSpan.FromMilliseconds(50),
                RestartStrategy = RestartStrategy.FixedDelay(2, TimeSpan.FromMilliseconds(10)),
            },
        });
        env.FromGenerator(i => i, count, recordsPerSecond: 10_000)
            .Uid("numbers")
            .Map(i =>
            {
                // Fails once, after a checkpoint's transactions were committed.
                if (i % 100 == 0 && store.CommittedTransactions > 0 && Interlocked.Exchange(ref failed, 1) == 0)
                {
                    committedBeforeFailure = store.Committed.Count;
                    throw new InvalidOperationException("injected failure");
                }

                return i;
            })
            .Uid("fail-once")
            .SinkTo(new TransactionalStoreSink<long>(store, i => i.ToString(CultureInfo.InvariantCulture)))
            .Uid("store");

        var job = await env.ExecuteAsync("transactional-store");
        await job.Completion.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(JobStatus.Finished, job.Status);
        Assert.Equal(1, job.GetCheckpointMetrics().Restarts);
        Assert.Equal(Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal), store.Committed.Order(StringComparer.Ordinal));
        Assert.True(committedBeforeFailure is > 0 and < count, $"the failure came after some commits and before the end ({committedBeforeFailure} committed records)");
        Assert.Empty(store.OpenTransactions(string.Empty));
    }

    [Fact]
    public async Task TwoPhaseCommitWriterInAJobWithoutCheckpoints_FailsAtStart()
    {
        var store = new TransactionalStore();
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 1 });
        env.FromCollection([1, 2, 3]).SinkTo(new TransactionalStoreSink<int>(store, i => i.ToString(CultureInfo.InvariantCulture)));
        var job = await env.ExecuteAsync();

        var error = await Assert.ThrowsAsync<JobExecutionException>(() => job.Completion.WaitAsync(JobRunner.Deadline));
        Assert.Contains("two-phase-commit writer", error.Message, StringComparison.Ordinal);
        Assert.Contains("StreamEnvironmentOptions.Checkpointing", error.Message, StringComparison.Ordinal);
        Assert.Empty(store.Committed);
    }
}
