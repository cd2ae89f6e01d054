namespace Freshet.Dashboard.Jobs;

/// <summary>Checkpoint counts of a job over all its attempts.</summary>
/// <param name="Completed">Checkpoints and savepoints completed.</param>
/// <param name="Failed">Checkpoints aborted (declined, timed out, failed to write).</param>
/// <param name="InProgress">Checkpoints triggered and not yet completed or failed.</param>
/// <param name="LatestCompletedId">The id of the newest completed checkpoint, or null when none.</param>
/// <param name="Restarts">In-process restarts after failures.</param>
internal sealed record CheckpointCountsResponse(long Completed, long Failed, int InProgress, long? LatestCompletedId, int Restarts);
