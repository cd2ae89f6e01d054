using Freshet.Dashboard;

namespace Freshet.Hosting;

/// <summary>
/// The bindable form of <see cref="DashboardOptions"/>: the section <c>Dashboard</c> of a hosted job's options
/// (<c>Freshet:Jobs:{name}:Dashboard:Port</c>). The job's dashboard and REST API (docs/rest-api.md) are served while
/// the job runs when <see cref="Port"/> is set.
/// </summary>
public sealed class FreshetJobDashboardOptions
{
    /// <summary>The dashboard's TCP port; null (the default) serves no dashboard; 0 picks a free port (<see cref="FreshetJobService.DashboardAddress"/>).</summary>
    public int? Port { get; set; }

    /// <summary>The address to listen on (<see cref="DashboardOptions.Host"/>; default <c>127.0.0.1</c>, this machine only).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Serve <c>/metrics</c> for Prometheus beside the dashboard (<see cref="DashboardOptions.ServeMetrics"/>; default true).</summary>
    public bool ServeMetrics { get; set; } = true;
}
