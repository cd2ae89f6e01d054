using Freshet.Streaming.Jobs;

namespace Freshet.Dashboard.Jobs;

/// <summary><c>GET /api/job/exceptions</c>: the failures of tasks the engine recorded, newest first.</summary>
internal sealed record ExceptionsResponse(IReadOnlyList<JobExceptionEntry> Exceptions);
