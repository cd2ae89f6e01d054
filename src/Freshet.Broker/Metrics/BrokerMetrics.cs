using System.Diagnostics;
using Freshet.Kafka.Protocol;

namespace Freshet.Broker.Metrics;

/// <summary>
/// One broker's side of <see cref="BrokerInstruments"/>: keeps a tag array per API key (its name and the broker's port),
/// built once, so recording a request allocates nothing. Thread-safe: immutable after construction, and the
/// instruments are thread-safe.
/// </summary>
internal sealed class BrokerMetrics
{
    private readonly KeyValuePair<string, object?>[]?[] _apiTags;
    private readonly object _port;
    private readonly Func<int> _openConnections;

    /// <param name="port">The broker's listening port, the <see cref="BrokerInstruments.ServerPortTag"/> of everything it records.</param>
    /// <param name="openConnections">Reads the number of connections open now (thread-safe).</param>
    public BrokerMetrics(int port, Func<int> openConnections)
    {
        _port = port;
        _openConnections = openConnections;
        BrokerTags = [new(BrokerInstruments.ServerPortTag, _port)];
        var keys = Enum.GetValues<ApiKeys>();
        _apiTags = new KeyValuePair<string, object?>[]?[keys.Max(k => (short)k) + 1];
        foreach (var key in keys)
        {
            if ((short)key >= 0)
            {
                _apiTags[(short)key] = [new(BrokerInstruments.ApiNameTag, key.ToString()), new(BrokerInstruments.ServerPortTag, _port)];
            }
        }
    }

    /// <summary>The tags of the broker as a whole (its port).</summary>
    public KeyValuePair<string, object?>[] BrokerTags { get; }

    /// <summary>Connections open now; read when a listener collects.</summary>
    public int OpenConnections => _openConnections();

    /// <summary>A request of <paramref name="api"/> was answered (or needs no answer).</summary>
    /// <param name="startTimestamp"><see cref="Stopwatch.GetTimestamp"/> when the request had been decoded.</param>
    /// <param name="bytesIn">The request frame's size, size prefix included.</param>
    /// <param name="bytesOut">The response frame's size, size prefix included; 0 when there is none.</param>
    public void RequestHandled(ApiKeys api, long startTimestamp, int bytesIn, int bytesOut)
    {
        var tags = Tags(api);
        BrokerInstruments.Requests.Add(1, tags);
        BrokerInstruments.RequestDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
        BrokerInstruments.BytesIn.Add(bytesIn, tags);
        if (bytesOut > 0)
        {
            BrokerInstruments.BytesOut.Add(bytesOut, tags);
        }
    }

    /// <summary>A partition of a <paramref name="api"/> response (Produce, Fetch) carries <paramref name="errorCode"/> (not 0). Allocates its tags: errors are not the hot path.</summary>
    public void PartitionError(ApiKeys api, short errorCode) =>
        BrokerInstruments.PartitionErrors.Add(1, [new(BrokerInstruments.ApiNameTag, api.ToString()), new(BrokerInstruments.ErrorCodeTag, (int)errorCode), new(BrokerInstruments.ServerPortTag, _port)]);

    private ReadOnlySpan<KeyValuePair<string, object?>> Tags(ApiKeys api) =>
        (short)api >= 0 && (short)api < _apiTags.Length && _apiTags[(short)api] is { } tags ? tags : BrokerTags;
}
