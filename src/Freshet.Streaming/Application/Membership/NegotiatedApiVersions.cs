using Freshet.Kafka.Protocol;

namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// The version of each API a connection uses: per API Freshet needs, the highest version inside both Freshet's
/// range and the range the broker advertised in ApiVersions. Made once per connection by <see cref="Negotiate"/>;
/// immutable and thread-safe afterwards.
/// </summary>
internal sealed class NegotiatedApiVersions
{
    // Indexed by api key; -1 where the API was not asked for. Api keys are small (below 100), so a flat table is the
    // cheapest lookup for the version of every request.
    private readonly short[] _versions;

    private NegotiatedApiVersions(short[] versions, IReadOnlyList<ApiVersionRange> brokerRanges)
    {
        _versions = versions;
        BrokerRanges = brokerRanges;
    }

    /// <summary>The APIs and ranges the broker advertised, in its order.</summary>
    public IReadOnlyList<ApiVersionRange> BrokerRanges { get; }

    /// <summary>
    /// Chooses a version for every API in <paramref name="needed"/>: the highest one both sides support.
    /// </summary>
    /// <param name="broker">The broker that advertised <paramref name="brokerRanges"/>, for the error message.</param>
    /// <param name="brokerRanges">What the broker advertised.</param>
    /// <param name="needed">The APIs Freshet will send, each with the versions it can use (Freshet's codec range, raised where a feature needs a newer version).</param>
    /// <exception cref="UnsupportedBrokerVersionException">Some API is missing or has no version in common; every such API is named.</exception>
    public static NegotiatedApiVersions Negotiate(BrokerAddress broker, IReadOnlyList<ApiVersionRange> brokerRanges, IReadOnlyList<ApiVersionRange> needed)
    {
        var highestKey = 0;
        foreach (var range in needed)
        {
            highestKey = Math.Max(highestKey, (int)range.ApiKey);
        }

        var versions = new short[highestKey + 1];
        Array.Fill(versions, (short)-1);
        List<ApiVersionMismatch>? mismatches = null;
        foreach (var want in needed)
        {
            var offered = Find(brokerRanges, want.ApiKey);
            if (offered is { } range && Math.Min(range.MaxVersion, want.MaxVersion) >= Math.Max(range.MinVersion, want.MinVersion))
            {
                versions[(int)want.ApiKey] = Math.Min(range.MaxVersion, want.MaxVersion);
            }
            else
            {
                (mismatches ??= []).Add(new ApiVersionMismatch(want.ApiKey, offered, want));
            }
        }

        if (mismatches is not null)
        {
            throw new UnsupportedBrokerVersionException(broker, mismatches);
        }

        return new NegotiatedApiVersions(versions, brokerRanges);
    }

    /// <summary>The version to send requests of <paramref name="apiKey"/> at.</summary>
    /// <exception cref="InvalidOperationException">The API was not among those negotiated (a programming error).</exception>
    public short VersionOf(ApiKeys apiKey)
    {
        var index = (int)apiKey;
        if (index < 0 || index >= _versions.Length || _versions[index] < 0)
        {
            throw new InvalidOperationException($"{apiKey} was not among the APIs negotiated for this connection.");
        }

        return _versions[index];
    }

    private static ApiVersionRange? Find(IReadOnlyList<ApiVersionRange> ranges, ApiKeys apiKey)
    {
        foreach (var range in ranges)
        {
            if (range.ApiKey == apiKey)
            {
                return range;
            }
        }

        return null;
    }
}
