using System.Text.Json;
using Freshet.Dashboard.Hosting;
using Freshet.Streaming.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Freshet.Dashboard.Jobs;

/// <summary>
/// The job's REST API under <c>/api/job</c> (docs/rest-api.md): reads of the <see cref="JobHandle"/>, and the two
/// actions a user takes from the dashboard, a savepoint and a cancel. The graph is read once: it does not change
/// while the job runs, restarts included.
/// </summary>
internal sealed class JobEndpoints(JobHandle job, TaskMetricsSampler sampler, TimeProvider time)
{
    private readonly Lazy<JobGraphDescription> _graph = new(job.GetJobGraph);

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/job", Overview);
        endpoints.MapGet("/api/job/graph", () => TypedResults.Json(_graph.Value, DashboardJsonContext.Default.JobGraphDescription));
        endpoints.MapGet("/api/job/metrics", () => TypedResults.Json(sampler.Read(_graph.Value), DashboardJsonContext.Default.JobMetricsResponse));
        endpoints.MapGet("/api/job/checkpoints", Checkpoints);
        endpoints.MapGet("/api/job/exceptions", () => TypedResults.Json(new ExceptionsResponse(job.GetExceptionHistory()), DashboardJsonContext.Default.ExceptionsResponse));
        endpoints.MapPost("/api/job/savepoints", TriggerSavepointAsync);
        endpoints.MapPost("/api/job/cancel", CancelAsync);
    }

    private JsonHttpResult<JobOverviewResponse> Overview()
    {
        var start = job.StartTime;
        var cause = job.LastRestartCause;
        var restored = job.RestoredFrom;
        return TypedResults.Json(
            new JobOverviewResponse(
                job.JobName,
                job.Status.ToString(),
                start,
                (long)Math.Max(0, (time.GetUtcNow() - start).TotalMilliseconds),
                job.GetCheckpointMetrics().Restarts,
                restored is null ? null : new RestoredFromResponse(restored.CheckpointId, restored.Directory, restored.IsSavepoint),
                cause is null ? null : $"{cause.GetType().FullName}: {cause.Message}"),
            DashboardJsonContext.Default.JobOverviewResponse);
    }

    private JsonHttpResult<CheckpointsResponse> Checkpoints()
    {
        var counts = job.GetCheckpointMetrics();
        var history = job.GetCheckpointHistory();
        var entries = new List<CheckpointResponse>(history.Count);
        var inProgress = 0;
        foreach (var entry in history)
        {
            if (entry.Outcome == CheckpointOutcome.InProgress)
            {
                inProgress++;
            }

            entries.Add(new CheckpointResponse(
                entry.CheckpointId,
                entry.IsSavepoint,
                entry.Outcome.ToString(),
                entry.TriggeredAt,
                entry.Duration is { } duration ? Milliseconds(duration) : null,
                entry.StateBytes,
                Milliseconds(entry.Alignment),
                Milliseconds(entry.SyncPhase),
                Milliseconds(entry.AsyncPhase),
                entry.FailureReason));
        }

        return TypedResults.Json(
            new CheckpointsResponse(new CheckpointCountsResponse(counts.Completed, counts.Failed, inProgress, counts.LastCompletedId == 0 ? null : counts.LastCompletedId, counts.Restarts), entries),
            DashboardJsonContext.Default.CheckpointsResponse);
    }

    private static double Milliseconds(TimeSpan time) => Math.Round(time.TotalMilliseconds, 1);

    private async Task<IResult> TriggerSavepointAsync(HttpRequest request)
    {
        SavepointRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(request.Body, DashboardJsonContext.Default.SavepointRequest, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException error)
        {
            return ApiErrors.BadRequest($"The body is not the JSON object {{\"directory\": \"...\"}}: {error.Message}");
        }

        if (string.IsNullOrWhiteSpace(body?.Directory))
        {
            return ApiErrors.BadRequest("The body must name the savepoint's directory: {\"directory\": \"/path/to/savepoints/sp-1\"}.");
        }

        try
        {
            var path = await job.TriggerSavepointAsync(body.Directory).ConfigureAwait(false);
            return TypedResults.Json(new SavepointResponse(path), DashboardJsonContext.Default.SavepointResponse);
        }
        catch (Exception error) when (error is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return ApiErrors.BadRequest($"The savepoint could not be written to {body.Directory}: {error.Message}");
        }
        catch (InvalidOperationException error)
        {
            return ApiErrors.Result(StatusCodes.Status409Conflict, "conflict", $"The job cannot take a savepoint now: {error.Message}");
        }
    }

    private async Task<IResult> CancelAsync()
    {
        await job.CancelAsync().ConfigureAwait(false);
        return TypedResults.Json(new CancelResponse(job.Status.ToString()), DashboardJsonContext.Default.CancelResponse);
    }
}
