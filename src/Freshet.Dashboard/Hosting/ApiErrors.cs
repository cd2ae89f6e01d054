using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Freshet.Dashboard.Hosting;

/// <summary>
/// Error answers of the REST API as JSON (<see cref="ApiError"/>): handlers return them with <see cref="Result"/>;
/// <see cref="Middleware"/> gives the same shape to what routing answers with an empty body (an unknown
/// <c>/api</c> path: 404; a known path with another method: 405) and to a handler that threw (500), so a bad request
/// never reaches the job or the broker as anything but a read.
/// </summary>
internal static class ApiErrors
{
    /// <summary>An error answer with <paramref name="statusCode"/>.</summary>
    public static IResult Result(int statusCode, string error, string message) =>
        TypedResults.Json(new ApiError(error, message), DashboardJsonContext.Default.ApiError, statusCode: statusCode);

    /// <summary>404 for a resource that does not exist.</summary>
    public static IResult NotFound(string message) => Result(StatusCodes.Status404NotFound, "not_found", message);

    /// <summary>400 for a request body or parameter that is not what the endpoint takes.</summary>
    public static IResult BadRequest(string message) => Result(StatusCodes.Status400BadRequest, "bad_request", message);

    [SuppressMessage("Design", "CA1031", Justification = "A failing handler must answer 500 and leave the server (and the job) running.")]
    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        var isApi = context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception error) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            DashboardLog.RequestFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(DashboardLog.Category), context.Request.Method, context.Request.Path, error);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            if (isApi)
            {
                await WriteAsync(context, "internal_error", $"{error.GetType().Name}: {error.Message}").ConfigureAwait(false);
            }

            return;
        }

        if (context.Response.HasStarted || context.Response.ContentType is not null)
        {
            return;
        }

        var status = context.Response.StatusCode;
        if (isApi && status == StatusCodes.Status404NotFound)
        {
            await WriteAsync(context, "not_found", $"No API at {context.Request.Path} (docs/rest-api.md lists them).").ConfigureAwait(false);
        }
        else if (isApi && status == StatusCodes.Status405MethodNotAllowed)
        {
            await WriteAsync(context, "method_not_allowed", $"{context.Request.Method} is not allowed on {context.Request.Path}.").ConfigureAwait(false);
        }
        else if (status == StatusCodes.Status404NotFound)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Not found. The dashboard is at /.", context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static Task WriteAsync(HttpContext context, string error, string message) =>
        context.Response.WriteAsJsonAsync(new ApiError(error, message), DashboardJsonContext.Default.ApiError, contentType: null, context.RequestAborted);
}
