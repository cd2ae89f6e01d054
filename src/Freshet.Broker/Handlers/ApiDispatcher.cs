using Freshet.Kafka.Protocol;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Finds the handler of a request by its API key. Handlers are registered once, before the broker
/// accepts connections; afterwards the table is only read, so lookups take no lock.
/// </summary>
internal sealed class ApiDispatcher
{
    // Kafka's API keys are small non-negative numbers (below 100 today); a flat table keeps lookup one index.
    private const int TableSize = 128;

    private readonly IApiHandler?[] _handlers = new IApiHandler?[TableSize];

    /// <summary>Registers <paramref name="handler"/> for its API key.</summary>
    /// <exception cref="InvalidOperationException">Another handler already serves that key.</exception>
    public void Register(IApiHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var key = (int)handler.ApiKey;
        if ((uint)key >= TableSize)
        {
            throw new ArgumentOutOfRangeException(nameof(handler), $"API key {key} is outside the dispatch table.");
        }

        if (_handlers[key] is not null)
        {
            throw new InvalidOperationException($"API {handler.ApiKey} already has a handler ({_handlers[key]!.GetType().Name}).");
        }

        _handlers[key] = handler;
    }

    /// <summary>
    /// Finds the handler for a request of <paramref name="apiKey"/> at <paramref name="apiVersion"/>:
    /// false when the API or the version is not in <see cref="SupportedApis"/> or nothing serves it.
    /// </summary>
    public bool TryGetHandler(ApiKeys apiKey, short apiVersion, out IApiHandler handler)
    {
        var key = (int)apiKey;
        if ((uint)key < TableSize && _handlers[key] is { } found && SupportedApis.IsSupported(apiKey, apiVersion))
        {
            handler = found;
            return true;
        }

        handler = null!;
        return false;
    }

    /// <summary>Whether some handler serves <paramref name="apiKey"/>.</summary>
    public bool HasHandler(ApiKeys apiKey) => (uint)(int)apiKey < TableSize && _handlers[(int)apiKey] is not null;

    /// <summary>
    /// The ranges to advertise in ApiVersions: <see cref="SupportedApis"/>, restricted to APIs that have a
    /// handler, so a codec added before its handler is never advertised. Normally the two are equal (tested).
    /// </summary>
    public IReadOnlyList<ApiVersionRange> Advertised()
    {
        var result = new List<ApiVersionRange>(SupportedApis.All.Count);
        foreach (var range in SupportedApis.All)
        {
            if (HasHandler(range.ApiKey))
            {
                result.Add(range);
            }
        }

        return result;
    }
}
