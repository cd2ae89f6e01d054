namespace Freshet.Dashboard.Brokers;

/// <summary><c>GET /api/broker</c>: which broker this is and how long it has been up.</summary>
/// <param name="ClusterId">The cluster id Metadata reports, stable for the data directory.</param>
/// <param name="NodeId">The node id (the only broker, controller and coordinator).</param>
/// <param name="Listener">The address Kafka clients bootstrap from, <c>HOST:PORT</c>.</param>
/// <param name="StartTime">When the broker started serving.</param>
/// <param name="UptimeMs">Milliseconds since <paramref name="StartTime"/>.</param>
internal sealed record BrokerOverviewResponse(string ClusterId, int NodeId, string Listener, DateTimeOffset StartTime, long UptimeMs);
