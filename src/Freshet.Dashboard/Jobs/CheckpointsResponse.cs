namespace Freshet.Dashboard.Jobs;

/// <summary><c>GET /api/job/checkpoints</c>: counts over the job's life and the history the engine keeps, newest first.</summary>
internal sealed record CheckpointsResponse(CheckpointCountsResponse Counts, IReadOnlyList<CheckpointResponse> History);
