
namespace Freshet.Streaming.Jobs;

/// <summary>
/// A running job (Flink's <c>JobClient</c>): its status, metrics, checkpoints, savepoints, completion and
/// cancellation. Thread-safe.
/// </summary>
public sealed class JobHandle
{
    private readonly IJobControl _execution;

    internal JobHandle(IJobControl execution)
    {
        _execution = execution;
    }

    /// <summary>The name given to <see cref="StreamEnvironment.ExecuteAsync"/>.</summary>
    public string JobName => _execution.JobName;

    /// <summary>The current status.</summary>
    public JobStatus Status => _execution.Status;

    /// <summary>
    /// Completes when the job ends: successfully when every task reached the end of its input (or after
    /// <see cref="StopWithSavepointAsync"/>); faulted with a <see cref="JobExecutionException"/> (naming the operator and
    /// subtask) when a task failed and the restart strategy gave up; cancelled after <see cref="CancelAsync"/>.
    /// </summary>
    public Task Completion => _execution.Completion;

    /// <summary>The checkpoint or savepoint the current attempt restored, or null when it started without state.</summary>
    public CheckpointRestore? RestoredFrom => _execution.RestoredFrom;

    /// <summary>
    /// The failure that caused the latest in-process restart (<see cref="CheckpointingOptions.RestartStrategy"/>), or
    /// null while the job has not restarted; also logged with the restart (docs/operations.md). In application mode,
    /// the cause of the latest restart of one of this instance's running tasks.
    /// </summary>
    public Exception? LastRestartCause => _execution.LastRestartCause;

    /// <summary>
    /// In application mode, this instance's share of the application: its tasks with their state, restore progress and
    /// commits, and the group's generation and rebalances; null for a job run wholly in this process.
    /// </summary>
    public ApplicationInstanceStatus? Application => (_execution as Application.Instance.ApplicationInstance)?.GetStatus();

    /// <summary>Counters of every operator subtask of the current attempt (records in and out, current watermark).</summary>
    public IReadOnlyList<OperatorMetrics> GetMetrics() => _execution.GetMetrics();

    /// <summary>Checkpoints completed and failed, the newest one's size and phase durations, and restarts.</summary>
    public CheckpointMetrics GetCheckpointMetrics() => _execution.GetCheckpointMetrics();

    /// <summary>
    /// Takes a savepoint into <paramref name="directory"/> (which must not exist or be empty) while the job goes on;
    /// completes with the savepoint's path. Needs <see cref="StreamEnvironmentOptions.Checkpointing"/>.
    /// </summary>
    public Task<string> TriggerSavepointAsync(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return _execution.TriggerSavepointAsync(directory);
    }

    /// <summary>
    /// Takes a savepoint after which the sources read nothing more, lets every task hear that it completed
    /// (exactly-once sinks commit), then stops the job, which ends as finished without firing the remaining windows.
    /// Start the job again with <see cref="StreamEnvironmentOptions.RestoreFromSavepoint"/> to continue where it stopped.
    /// </summary>
    public Task<string> StopWithSavepointAsync(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return _execution.StopWithSavepointAsync(directory);
    }

    /// <summary>Cancels the job and waits until every task has stopped. Idempotent; does nothing once the job ended.</summary>
    public async Task CancelAsync()
    {
        _execution.Cancel();
        try
        {
            await _execution.Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (JobExecutionException)
        {
        }
    }
}
