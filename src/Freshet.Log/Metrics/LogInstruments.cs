using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reflection;
using Freshet.Log.Partitions;

namespace Freshet.Log.Metrics;

/// <summary>
/// The log's <see cref="Meter"/>, <c>Freshet.Log</c> (docs/operations.md, "Metrics"): per partition of every open
/// <see cref="LogStore"/> of the process, its log start and end offsets, its size and its segment count, as observable
/// gauges. Each store is in <see cref="Stores"/> from the end of <see cref="LogStore.Open"/> until its
/// <see cref="LogStore.Dispose"/> begins. Nothing is recorded on the append or read path: the gauges read the
/// partitions' published positions (no lock) when a listener collects, and allocate their tags then.
/// Thread-safe: the registry is a concurrent dictionary; partitions' positions are safe to read from any thread.
/// </summary>
internal static class LogInstruments
{
    /// <summary>The topic name (OpenTelemetry's messaging attribute <c>messaging.destination.name</c>).</summary>
    public const string TopicTag = "messaging.destination.name";

    /// <summary>The partition number as a string (OpenTelemetry's <c>messaging.destination.partition.id</c>).</summary>
    public const string PartitionTag = "messaging.destination.partition.id";

    private static readonly ConcurrentDictionary<LogStore, byte> Stores = new();

    public static Meter Meter { get; } = new(LogStore.MeterName, typeof(LogInstruments).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? typeof(LogInstruments).Assembly.GetName().Version?.ToString());

    static LogInstruments()
    {
        Meter.CreateObservableGauge("freshet.log.partition.start_offset", static () => Observe(static p => p.LogStartOffset), "{offset}", "The partition's log start offset: the first offset still stored.");
        Meter.CreateObservableGauge("freshet.log.partition.end_offset", static () => Observe(static p => p.LogEndOffset), "{offset}", "The partition's log end offset: the offset the next appended record will get.");
        Meter.CreateObservableGauge("freshet.log.partition.size", static () => Observe(static p => p.SizeBytes), "By", "Bytes of the partition's segment files.");
        Meter.CreateObservableGauge("freshet.log.partition.segment.count", static () => Observe(static p => p.SegmentCount), "{segment}", "The partition's segments, the active one included.");
    }

    /// <summary>Starts observing <paramref name="store"/>'s partitions; dispose the result when the store closes.</summary>
    public static IDisposable Register(LogStore store)
    {
        Stores.TryAdd(store, 0);
        return new Registration(store);
    }

    private static List<Measurement<long>> Observe(Func<Partition, long> read)
    {
        var measurements = new List<Measurement<long>>();
        foreach (var store in Stores.Keys)
        {
            foreach (var partition in store.AllPartitions())
            {
                measurements.Add(new Measurement<long>(read(partition), [new(TopicTag, partition.Topic), new(PartitionTag, partition.Id.ToString(CultureInfo.InvariantCulture))]));
            }
        }

        return measurements;
    }

    private sealed class Registration(LogStore store) : IDisposable
    {
        public void Dispose() => Stores.TryRemove(store, out _);
    }
}
