using Freshet.Streaming.Queryable;

namespace Freshet.Streaming.Jobs;

/// <summary>
/// A running job (Flink's <c>JobClient</c>): its status, metrics, checkpoints, savepoints, completion and
/// cancellation. Thread-safe.
/// </summary>
public sealed class JobHandle
{
    private readonly IJobControl _execution;
    private readonly QueryableStateRegistry _queryableStates;

    internal JobHandle(IJobControl execution, QueryableStateRegistry? queryableStates = null)
    {
        _execution = execution;
        _queryableStates = queryableStates ?? new QueryableStateRegistry();
    }

    /// <summary>The name given to <see cref="StreamEnvironment.ExecuteAsync"/>.</summary>
    public string JobName => _execution.JobName;

    /// <summary>
    /// The queryable table <paramref name="name"/> (<c>Table.Queryable</c>, or a value state with
    /// <c>ValueStateDescriptor.QueryableName</c>): reads of the latest value per key while the job runs, and after a
    /// bounded job finished its input (see <see cref="QueryableTable{TKey, TValue}"/> and docs/interactive-queries.md).
    /// A table is known once a subtask has opened its state, moments after the job starts. In application mode the
    /// table reads only this instance's tasks.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such table (yet); the message lists the known names.</exception>
    /// <exception cref="InvalidCastException">The table has other key or value types; the message names them.</exception>
    public QueryableTable<TKey, TValue> GetQueryableTable<TKey, TValue>(string name)
        where TKey : notnull => _queryableStates.Get<TKey, TValue>(name);

    /// <summary>The queryable table <paramref name="name"/> without its types (what the REST API reads).</summary>
    /// <exception cref="KeyNotFoundException">No such table (yet); the message lists the known names.</exception>
    public QueryableTable GetQueryableTable(string name) => _queryableStates.Get(name);

    /// <summary>The job's queryable tables known so far, by name, with their key and value types.</summary>
    public IReadOnlyList<QueryableTableInfo> GetQueryableTableNames() => _queryableStates.List();

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

    /// <summary>When the job was started, on the job's clock (<see cref="StreamEnvironmentOptions.Clock"/>); restarts do not change it.</summary>
    public DateTimeOffset StartTime => _execution.StartTime;

    /// <summary>
    /// The job as planned: one vertex per task (a chain of operators, run as one thread per subtask) and the exchanges
    /// between them. In application mode, the application's job graph as written, at the environment's parallelism:
    /// each instance runs it cut into sub-topologies, one application task per partition (see <see cref="Application"/>).
    /// </summary>
    public JobGraphDescription GetJobGraph() => _execution.GetJobGraph();

    /// <summary>
    /// Counters of every task — one per subtask of each vertex of <see cref="GetJobGraph"/> — of the current attempt:
    /// records in and out, watermark, busy, idle and backpressured time, input queue length. Empty in application mode
    /// (this instance's tasks are application tasks, see <see cref="Application"/>).
    /// </summary>
    public IReadOnlyList<TaskMetrics> GetTaskMetrics() => _execution.GetTaskMetrics();

    /// <summary>
    /// The last 20 checkpoints and savepoints over all attempts, newest first: in progress, completed and failed. Empty
    /// without checkpointing, and in application mode (an application task's commits are not checkpoints of the job).
    /// </summary>
    public IReadOnlyList<CheckpointHistoryEntry> GetCheckpointHistory() => _execution.GetCheckpointHistory();

    /// <summary>
    /// The last 20 failures that restarted or failed the job, newest first. In application mode, the failures of this
    /// instance's application tasks that restarted or failed them.
    /// </summary>
    public IReadOnlyList<JobExceptionEntry> GetExceptionHistory() => _execution.GetExceptionHistory();

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
