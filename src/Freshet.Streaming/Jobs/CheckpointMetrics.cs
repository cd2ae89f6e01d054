namespace Freshet.Streaming.Jobs;

/// <summary>Checkpoint counters of a job, over all its attempts (restarts included).</summary>
/// <param name="Completed">Checkpoints and savepoints completed.</param>
/// <param name="Failed">Checkpoints aborted (declined by a task, timed out, or failed to write).</param>
/// <param name="LastCompletedId">The id of the newest completed checkpoint; 0 when none.</param>
/// <param name="LastStateBytes">Bytes of state files of the newest completed checkpoint.</param>
/// <param name="LastSyncMs">Longest synchronous phase (ms) of a task in the newest completed checkpoint: the time the task's stream stood still.</param>
/// <param name="LastAsyncMs">Longest asynchronous phase (ms, serialization and write) of a task in the newest completed checkpoint.</param>
/// <param name="Restarts">How many times the job restarted after a failure.</param>
public sealed record CheckpointMetrics(long Completed, long Failed, long LastCompletedId, long LastStateBytes, long LastSyncMs, long LastAsyncMs, int Restarts);
