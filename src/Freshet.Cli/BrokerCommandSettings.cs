using Microsoft.Extensions.Logging;

namespace Freshet.Cli;

/// <summary>
/// What <c>freshet broker</c> was asked for: a configuration file, and the flags that override it (the
/// data directory, the port, and Kafka-named settings from <c>--override</c> and the dedicated flags).
/// </summary>
/// <param name="ConfigFile">The <c>--config</c> properties file, or null.</param>
/// <param name="DataDirectory">The <c>--data</c> directory, or null to take <c>log.dirs</c> from the file.</param>
/// <param name="Port">The <c>--port</c> given on the command line, or null to take the file's <c>listeners</c> (else 9092).</param>
/// <param name="Overrides">Kafka-named settings from flags, applied after the file.</param>
internal sealed record BrokerCommandSettings(string? ConfigFile, string? DataDirectory, int? Port, IReadOnlyList<KeyValuePair<string, string>> Overrides)
{
    /// <summary>The lowest level of log events written to standard output (<c>--log-level</c>).</summary>
    public LogLevel LogLevel { get; init; } = ConsoleLogging.DefaultLevel;

    /// <summary>The port of the Prometheus scrape endpoint on 127.0.0.1 (<c>--metrics-port</c>); null: none.</summary>
    public int? MetricsPort { get; init; }

    /// <summary>The port of the broker's dashboard and REST API on 127.0.0.1 (<c>--http-port</c>); null: none.</summary>
    public int? HttpPort { get; init; }
}
