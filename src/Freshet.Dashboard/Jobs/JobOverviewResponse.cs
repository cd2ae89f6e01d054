namespace Freshet.Dashboard.Jobs;

/// <summary><c>GET /api/job</c>: the job's identity and life so far.</summary>
/// <param name="Name">The job's name.</param>
/// <param name="Status">Its <c>JobStatus</c> (<c>Running</c>, <c>Restarting</c>, <c>Finished</c>, <c>Failed</c>, <c>Cancelling</c>, <c>Cancelled</c>).</param>
/// <param name="StartTime">When the job was first started (restarts do not move it).</param>
/// <param name="UptimeMs">Milliseconds since <paramref name="StartTime"/>.</param>
/// <param name="Restarts">In-process restarts after failures so far.</param>
/// <param name="RestoredFrom">The checkpoint or savepoint the current attempt restored, or null.</param>
/// <param name="LastRestartCause">The failure behind the latest restart as "Type: message", or null.</param>
internal sealed record JobOverviewResponse(string Name, string Status, DateTimeOffset StartTime, long UptimeMs, int Restarts, RestoredFromResponse? RestoredFrom, string? LastRestartCause);
