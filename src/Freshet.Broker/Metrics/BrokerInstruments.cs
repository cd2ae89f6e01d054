using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Freshet.Broker.Metrics;

/// <summary>
/// The broker's <see cref="Meter"/>, <c>Freshet.Broker</c>, and its instruments (docs/operations.md, "Metrics"), shared
/// by every broker of the process; each broker tags what it records with its listening port
/// (<see cref="ServerPortTag"/>), so brokers sharing a process stay apart. Written through a
/// <see cref="BrokerMetrics"/>, once per request or connection, never per record. Open connections are observed:
/// each running broker is in <see cref="Brokers"/> from start to stop.
/// Thread-safe: instruments are thread-safe; the registry is a concurrent dictionary.
/// </summary>
internal static class BrokerInstruments
{
    public const string MeterName = KafkaBroker.MeterName;

    /// <summary>The API's name as in <see cref="Kafka.Protocol.ApiKeys"/> (<c>Produce</c>, <c>Fetch</c>, ...).</summary>
    public const string ApiNameTag = "freshet.api.name";

    /// <summary>The broker's listening port (OpenTelemetry's <c>server.port</c>).</summary>
    public const string ServerPortTag = "server.port";

    /// <summary>The Kafka error code of a partition's answer.</summary>
    public const string ErrorCodeTag = "freshet.error.code";

    private static readonly ConcurrentDictionary<BrokerMetrics, byte> Brokers = new();

    public static Meter Meter { get; } = new(MeterName, typeof(BrokerInstruments).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? typeof(BrokerInstruments).Assembly.GetName().Version?.ToString());

    public static Counter<long> Requests { get; } = Meter.CreateCounter<long>(
        "freshet.broker.requests", "{request}", "Requests handled, by API.");

    /// <summary>Bucket boundaries (s) from half a millisecond (a Metadata answer) to 30 s (a long Fetch poll); exporters' defaults are meant for milliseconds.</summary>
    private static readonly double[] RequestDurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    public static Histogram<double> RequestDuration { get; } = Meter.CreateHistogram(
        "freshet.broker.request.duration",
        "s",
        "Time from a request's decoding to its response being encoded, by API (a Fetch's long poll included).",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RequestDurationBuckets });

    public static Counter<long> BytesIn { get; } = Meter.CreateCounter<long>(
        "freshet.broker.bytes.in", "By", "Bytes of request frames received (size prefix included), by API.");

    public static Counter<long> BytesOut { get; } = Meter.CreateCounter<long>(
        "freshet.broker.bytes.out", "By", "Bytes of response frames encoded (size prefix included), by API.");

    public static Counter<long> PartitionErrors { get; } = Meter.CreateCounter<long>(
        "freshet.broker.partition.errors", "{error}", "Partitions answered with an error in Produce and Fetch responses, by API and error code.");

    static BrokerInstruments()
    {
        Meter.CreateObservableUpDownCounter("freshet.broker.connections", ObserveConnections, "{connection}", "Client connections open now.");
    }

    /// <summary>Starts observing <paramref name="broker"/>'s open connections; dispose the result when the broker stopped.</summary>
    public static IDisposable Register(BrokerMetrics broker)
    {
        Brokers.TryAdd(broker, 0);
        return new Registration(broker);
    }

    private static List<Measurement<long>> ObserveConnections()
    {
        var measurements = new List<Measurement<long>>();
        foreach (var broker in Brokers.Keys)
        {
            measurements.Add(new Measurement<long>(broker.OpenConnections, broker.BrokerTags));
        }

        return measurements;
    }

    private sealed class Registration(BrokerMetrics broker) : IDisposable
    {
        public void Dispose() => Brokers.TryRemove(broker, out _);
    }
}
