using Microsoft.Extensions.Logging;

namespace Freshet.Dashboard;

/// <summary>
/// Settings of a dashboard server (<see cref="JobDashboard.StartAsync"/>, <see cref="BrokerDashboard.StartAsync"/>).
/// The defaults serve on <c>127.0.0.1</c> at a free port with the Prometheus endpoint on: reachable only from this
/// machine unless <see cref="Host"/> says otherwise. Immutable.
/// </summary>
public sealed record DashboardOptions
{
    /// <summary>
    /// The address to listen on: an IP address (<c>127.0.0.1</c> by default; <c>0.0.0.0</c> or <c>::</c> for every
    /// interface) or <c>localhost</c>. The dashboard has no authentication and can cancel the job: bind it beyond the
    /// loopback address only behind a proxy that guards it.
    /// </summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 (the default) picks a free one, read back from <see cref="DashboardServer.Address"/>.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Serve <c>/metrics</c> in Prometheus' text format: the engine's <c>Freshet.Streaming</c> meter for a job, the
    /// <c>Freshet.Broker</c> and <c>Freshet.Log</c> meters for a broker (docs/operations.md). Default true.
    /// </summary>
    public bool ServeMetrics { get; init; } = true;

    /// <summary>Where the web server's own log events go (Kestrel's, failed requests); null: nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming a setting out of range.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Host, nameof(Host));
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"DashboardOptions.Port must be from 0 to 65535 (got {Port}).", nameof(Port));
        }
    }
}
