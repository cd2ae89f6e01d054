using Freshet.Dashboard.Hosting;
using Freshet.Dashboard.Jobs;
using Freshet.Streaming;
using Freshet.Streaming.Jobs;

namespace Freshet.Dashboard;

/// <summary>
/// Serves the dashboard of one running job, Flink's web UI in small: the job graph with each vertex's throughput,
/// watermark and backpressure, the checkpoint history, the exceptions, and buttons for a savepoint and a cancel; the
/// same data as JSON under <c>/api/job</c> (docs/rest-api.md) and the engine's meter at <c>/metrics</c>.
/// </summary>
public static class JobDashboard
{
    /// <summary>Rates and time ratios are over this interval: the dashboard's sampler reads the job this often.</summary>
    internal static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Starts serving <paramref name="job"/> at <see cref="DashboardOptions.Host"/>:<see cref="DashboardOptions.Port"/>;
    /// completes once the port is bound. The server outlives the job (it then shows how the job ended) until disposed.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range or the host is not an IP address.</exception>
    /// <exception cref="IOException">The address cannot be bound (for example the port is in use).</exception>
    public static Task<DashboardServer> StartAsync(JobHandle job, DashboardOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        options ??= new DashboardOptions();
        options.Validate();
        var sampler = new TaskMetricsSampler(job, SampleInterval, TimeProvider.System);
        var endpoints = new JobEndpoints(job, sampler, TimeProvider.System);
        var tables = new TableEndpoints(job);
        return DashboardApplication.StartAsync(
            options,
            "job",
            [StreamEnvironment.MeterName],
            routes =>
            {
                endpoints.Map(routes);
                tables.Map(routes);
            },
            [sampler],
            cancellationToken);
    }

    /// <summary>Starts the dashboard of <paramref name="job"/> on 127.0.0.1:<paramref name="port"/> (0: a free port) with the default options.</summary>
    public static Task<DashboardServer> ServeDashboardAsync(this JobHandle job, int port = 0, CancellationToken cancellationToken = default) =>
        StartAsync(job, new DashboardOptions { Port = port }, cancellationToken);
}
