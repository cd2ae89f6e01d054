namespace Freshet.Dashboard.Jobs;

/// <summary>One checkpoint or savepoint of the history.</summary>
/// <param name="Outcome"><c>InProgress</c>, <c>Completed</c> or <c>Failed</c>.</param>
/// <param name="DurationMs">From trigger to completion or failure, ms; null while in progress.</param>
/// <param name="StateBytes">Bytes of the state files written.</param>
/// <param name="AlignmentMs">Longest barrier alignment of a task, ms.</param>
/// <param name="SyncPhaseMs">Longest synchronous snapshot phase of a task (its stream stood still), ms.</param>
/// <param name="AsyncPhaseMs">Longest asynchronous phase (serialization and write) of a task, ms.</param>
/// <param name="FailureReason">Why it failed, or null.</param>
internal sealed record CheckpointResponse(
    long CheckpointId,
    bool IsSavepoint,
    string Outcome,
    DateTimeOffset TriggeredAt,
    double? DurationMs,
    long StateBytes,
    double AlignmentMs,
    double SyncPhaseMs,
    double AsyncPhaseMs,
    string? FailureReason);
