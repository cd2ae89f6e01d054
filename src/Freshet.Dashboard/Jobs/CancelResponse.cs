namespace Freshet.Dashboard.Jobs;

/// <summary>The answer of <c>POST /api/job/cancel</c>: the job's status once every task stopped.</summary>
internal sealed record CancelResponse(string Status);
