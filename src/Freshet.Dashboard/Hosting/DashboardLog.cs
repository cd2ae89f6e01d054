using Microsoft.Extensions.Logging;

namespace Freshet.Dashboard.Hosting;

/// <summary>The dashboard's log events (category <c>Freshet.Dashboard</c>, event ids 5001 and up).</summary>
internal static partial class DashboardLog
{
    public const string Category = "Freshet.Dashboard";

    /// <summary>A request's handler threw; the client got a 500 and the server goes on.</summary>
    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Dashboard request {Method} {Path} failed")]
    public static partial void RequestFailed(ILogger logger, string method, string path, Exception error);
}
