using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reflection;
using Freshet.Broker.Inspection;

namespace Freshet.Broker.Metrics;

/// <summary>
/// The broker's <see cref="Meter"/>, <c>Freshet.Broker</c>, and its instruments (docs/operations.md, "Metrics"), shared
/// by every broker of the process; each broker tags what it records with its listening port
/// (<see cref="ServerPortTag"/>), so brokers sharing a process stay apart. Written through a
/// <see cref="BrokerMetrics"/>, once per request or connection, never per record. Open connections and consumer group
/// lag are observed: each running broker is in <see cref="Brokers"/> from start to stop, and its lag is computed from
/// the committed offsets and the partitions' log end offsets only when a listener collects.
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

    /// <summary>The consumer group (OpenTelemetry's messaging attribute <c>messaging.consumer.group.name</c>).</summary>
    public const string GroupTag = "messaging.consumer.group.name";

    /// <summary>The topic name (OpenTelemetry's <c>messaging.destination.name</c>, as in the <c>Freshet.Log</c> meter).</summary>
    public const string TopicTag = "messaging.destination.name";

    /// <summary>The partition number as a string (OpenTelemetry's <c>messaging.destination.partition.id</c>).</summary>
    public const string PartitionTag = "messaging.destination.partition.id";

    private static readonly ConcurrentDictionary<BrokerMetrics, BrokerInspector> Brokers = new();

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
        Meter.CreateObservableGauge("freshet.consumer_group.lag", ObserveConsumerLag, "{record}", "Records between a group's committed offset in a partition and the partition's log end offset.");
    }

    /// <summary>Starts observing <paramref name="broker"/>'s open connections and, through <paramref name="inspector"/>, its
    /// groups' lag; dispose the result when the broker stopped.</summary>
    public static IDisposable Register(BrokerMetrics broker, BrokerInspector inspector)
    {
        Brokers.TryAdd(broker, inspector);
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

    private static List<Measurement<long>> ObserveConsumerLag()
    {
        var measurements = new List<Measurement<long>>();
        foreach (var (broker, inspector) in Brokers)
        {
            try
            {
                foreach (var (groupId, lag) in inspector.ConsumerLags())
                {
                    measurements.Add(new Measurement<long>(lag.Lag, [
                        new(GroupTag, groupId),
                        new(TopicTag, lag.Topic),
                        new(PartitionTag, lag.Partition.ToString(CultureInfo.InvariantCulture)),
                        broker.BrokerTags[0]]));
                }
            }
            catch (ObjectDisposedException)
            {
                // The caller closed the broker's store before stopping the broker: nothing left to report for it.
            }
        }

        return measurements;
    }

    private sealed class Registration(BrokerMetrics broker) : IDisposable
    {
        public void Dispose() => Brokers.TryRemove(broker, out _);
    }
}
