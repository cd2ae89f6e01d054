namespace Freshet.Dashboard.Jobs;

/// <summary><c>GET /api/job/metrics</c>: every vertex of the job graph with its subtasks, as of <paramref name="SampledAt"/>.</summary>
/// <param name="SampledAt">When the newest sample was taken (the sampler reads the job once a second).</param>
/// <param name="IntervalMs">Milliseconds between the two samples the rates and ratios come from; 0 before the second sample.</param>
internal sealed record JobMetricsResponse(DateTimeOffset SampledAt, long IntervalMs, IReadOnlyList<VertexMetricsResponse> Vertices);
