using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Freshet.Cli;

/// <summary>
/// The log of the commands that run a broker or a job (<c>freshet broker</c>, <c>freshet demo</c>): one line per event
/// on standard output — UTC time, level, category, event id, message, and the exception's text when there is one — from
/// <see cref="DefaultLevel"/> up unless <c>--log-level</c> says otherwise. The console logger writes from its own
/// thread; dispose the factory before the process ends so the last lines are written.
/// </summary>
internal static class ConsoleLogging
{
    /// <summary>The level logged when <c>--log-level</c> is not given.</summary>
    public const LogLevel DefaultLevel = LogLevel.Information;

    public static ILoggerFactory Create(LogLevel minimumLevel) => LoggerFactory.Create(logging => logging
        .SetMinimumLevel(minimumLevel)
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
            console.ColorBehavior = LoggerColorBehavior.Disabled;
        }));
}
