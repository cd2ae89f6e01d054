namespace Freshet.Streaming.Jobs;

/// <summary>
/// What a <see cref="JobHandle"/> controls: a job run here (<c>JobExecution</c>) or one instance of an application
/// (<c>ApplicationInstance</c>). Thread-safe.
/// </summary>
internal interface IJobControl
{
    string JobName { get; }

    JobStatus Status { get; }

    Task Completion { get; }

    CheckpointRestore? RestoredFrom { get; }

    Exception? LastRestartCause { get; }

    IReadOnlyList<OperatorMetrics> GetMetrics();

    CheckpointMetrics GetCheckpointMetrics();

    DateTimeOffset StartTime { get; }

    JobGraphDescription GetJobGraph();

    IReadOnlyList<TaskMetrics> GetTaskMetrics();

    IReadOnlyList<CheckpointHistoryEntry> GetCheckpointHistory();

    IReadOnlyList<JobExceptionEntry> GetExceptionHistory();

    Task<string> TriggerSavepointAsync(string directory);

    Task<string> StopWithSavepointAsync(string directory);

    void Cancel();
}
