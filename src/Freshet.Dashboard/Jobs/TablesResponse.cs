namespace Freshet.Dashboard.Jobs;

/// <summary><c>GET /api/job/tables</c>: the job's queryable tables known so far, by name.</summary>
internal sealed record TablesResponse(IReadOnlyList<TableResponse> Tables);
