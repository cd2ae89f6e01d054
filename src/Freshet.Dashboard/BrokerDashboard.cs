using Freshet.Broker;
using Freshet.Dashboard.Brokers;
using Freshet.Dashboard.Hosting;
using Freshet.Log;

namespace Freshet.Dashboard;

/// <summary>
/// Serves the dashboard of a running <see cref="KafkaBroker"/>: topics with their partitions, offsets and sizes,
/// consumer groups with their members and lag, and transactions in flight; the same data as JSON under <c>/api</c>
/// (docs/rest-api.md) and the broker's and log's meters at <c>/metrics</c>.
/// </summary>
public static class BrokerDashboard
{
    /// <summary>
    /// Starts serving <paramref name="broker"/> at <see cref="DashboardOptions.Host"/>:<see cref="DashboardOptions.Port"/>;
    /// completes once the port is bound. Stop the dashboard before the broker.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range or the host is not an IP address.</exception>
    /// <exception cref="IOException">The address cannot be bound (for example the port is in use).</exception>
    public static Task<DashboardServer> StartAsync(KafkaBroker broker, DashboardOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(broker);
        options ??= new DashboardOptions();
        var endpoints = new BrokerEndpoints(broker, TimeProvider.System.GetUtcNow(), TimeProvider.System);
        return DashboardApplication.StartAsync(options, "broker", [KafkaBroker.MeterName, LogStore.MeterName], endpoints.Map, [], cancellationToken);
    }
}
