namespace Freshet.Dashboard.Jobs;

/// <summary>The answer of <c>POST /api/job/savepoints</c>: the completed savepoint's path, to restore from.</summary>
internal sealed record SavepointResponse(string Path);
