namespace Freshet.Dashboard.Jobs;

/// <summary>The body of <c>POST /api/job/savepoints</c>.</summary>
/// <param name="Directory">Where to write the savepoint: a directory that does not exist or is empty, on the job's machine.</param>
internal sealed record SavepointRequest(string? Directory);
