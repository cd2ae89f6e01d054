using Freshet.Streaming.Runtime;

namespace Freshet.Streaming.Jobs;

/// <summary>
/// A running job (Flink's <c>JobClient</c>): its status, metrics, completion and cancellation.
/// Thread-safe.
/// </summary>
public sealed class JobHandle
{
    private readonly JobRun _run;

    internal JobHandle(JobRun run)
    {
        _run = run;
    }

    /// <summary>The name given to <see cref="StreamEnvironment.ExecuteAsync"/>.</summary>
    public string JobName => _run.JobName;

    /// <summary>The current status.</summary>
    public JobStatus Status => _run.Status;

    /// <summary>
    /// Completes when the job ends: successfully when every task reached the end of its input; faulted with a
    /// <see cref="JobExecutionException"/> (naming the operator and subtask) when one failed; cancelled after
    /// <see cref="CancelAsync"/>.
    /// </summary>
    public Task Completion => _run.Completion;

    /// <summary>Counters of every operator subtask (records in and out, current watermark).</summary>
    public IReadOnlyList<OperatorMetrics> GetMetrics() => _run.GetMetrics();

    /// <summary>Cancels the job and waits until every task has stopped. Idempotent; does nothing once the job ended.</summary>
    public async Task CancelAsync()
    {
        _run.Cancel();
        try
        {
            await _run.Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (JobExecutionException)
        {
        }
    }
}
