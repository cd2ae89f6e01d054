namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// A broker's ApiVersions answer lacks an API, or a version of it, that Freshet needs: the cluster is too old (or
/// configured to refuse them). Retrying does not help. The message names the broker, every API that does not fit,
/// the versions the broker offers and the versions Freshet needs.
/// </summary>
internal sealed class UnsupportedBrokerVersionException : NotSupportedException
{
    /// <summary>Creates the exception for the broker at <paramref name="broker"/> and what it lacks.</summary>
    public UnsupportedBrokerVersionException(BrokerAddress broker, IReadOnlyList<ApiVersionMismatch> mismatches)
        : base($"The broker at {broker} does not support the Kafka API versions Freshet needs: {string.Join("; ", mismatches)}. Upgrade the cluster, or point Freshet at one that supports them.")
    {
        Broker = broker;
        Mismatches = mismatches;
    }

    /// <summary>The broker that answered.</summary>
    public BrokerAddress Broker { get; }

    /// <summary>Every API that does not fit, in the order Freshet asked for them.</summary>
    public IReadOnlyList<ApiVersionMismatch> Mismatches { get; }
}
