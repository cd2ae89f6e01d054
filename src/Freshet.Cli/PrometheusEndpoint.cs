using System.Globalization;
using Freshet.Broker;
using Freshet.Log;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Freshet.Cli;

/// <summary>
/// The Prometheus scrape endpoint of <c>freshet broker --metrics-port N</c>: OpenTelemetry's HTTP listener on
/// <c>http://127.0.0.1:N/metrics</c> serving the <c>Freshet.Broker</c> and <c>Freshet.Log</c> meters in Prometheus' text format, bound to the
/// loopback address only (no remote scrapes without a proxy the operator sets up). Disposing the returned provider stops
/// the listener.
/// </summary>
internal static class PrometheusEndpoint
{
    /// <summary>The listener's prefix for <paramref name="port"/>, ending in a slash.</summary>
    public static string Address(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/");

    /// <summary>Starts serving; throws <see cref="System.Net.HttpListenerException"/> when the port cannot be bound.</summary>
    public static MeterProvider Start(int port) =>
        Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService("freshet-broker"))
            .AddMeter(KafkaBroker.MeterName, LogStore.MeterName)
            .AddPrometheusHttpListener(options =>
            {
                options.Host = "127.0.0.1";
                options.Port = port;
            })
            .Build();
}
