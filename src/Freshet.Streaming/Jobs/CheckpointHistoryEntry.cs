namespace Freshet.Streaming.Jobs;

/// <summary>One checkpoint or savepoint of a job (see <see cref="JobHandle.GetCheckpointHistory"/>). Immutable.</summary>
/// <param name="CheckpointId">The checkpoint's id (ids increase across restarts).</param>
/// <param name="IsSavepoint">Whether it is a savepoint (taken on request) rather than a periodic checkpoint.</param>
/// <param name="Outcome">Whether it is in progress, completed or failed.</param>
/// <param name="TriggeredAt">When it was triggered, on the job's clock (<see cref="StreamEnvironmentOptions.Clock"/>).</param>
/// <param name="Duration">Trigger to completion or failure (monotonic clock); null while in progress.</param>
/// <param name="StateBytes">Bytes of the state files of every task for a completed checkpoint; 0 while in progress or after a failure.</param>
/// <param name="Alignment">The longest barrier alignment of a task: from the first to the last barrier of the checkpoint at the task's inputs (Flink's alignment duration); zero when no task had to align, and while in progress or after a failure (as for the phases).</param>
/// <param name="SyncPhase">The longest synchronous phase of a task: the time its stream stood still while its state was snapshotted.</param>
/// <param name="AsyncPhase">The longest asynchronous phase of a task: serializing and writing its state while the stream went on.</param>
/// <param name="FailureReason">Why it failed; null unless <paramref name="Outcome"/> is <see cref="CheckpointOutcome.Failed"/>.</param>
public sealed record CheckpointHistoryEntry(long CheckpointId, bool IsSavepoint, CheckpointOutcome Outcome, DateTimeOffset TriggeredAt, TimeSpan? Duration, long StateBytes, TimeSpan Alignment, TimeSpan SyncPhase, TimeSpan AsyncPhase, string? FailureReason);
