namespace Freshet.Broker.Security;

/// <summary>
/// One address the broker accepts connections on (Kafka's <c>listeners</c> entry <c>NAME://host:port</c>) with the
/// security protocol of its connections, and the address clients are told to use for it (Kafka's
/// <c>advertised.listeners</c>): Metadata and FindCoordinator answer a client with the advertised address of the
/// listener it connected to. Immutable; thread-safe.
/// </summary>
/// <param name="Name">The listener's name, for example <c>PLAINTEXT</c>, <c>EXTERNAL</c> or <c>SASL_SSL</c>.</param>
/// <param name="Protocol">How its connections are protected.</param>
/// <param name="Host">The IP address to bind.</param>
/// <param name="Port">The port to bind; 0 picks a free one.</param>
public sealed record BrokerListener(string Name, SecurityProtocol Protocol, string Host, int Port)
{
    /// <summary>The host clients are told to connect to; null advertises <see cref="Host"/>.</summary>
    public string? AdvertisedHost { get; init; }

    /// <summary>The port clients are told to connect to; null advertises the bound port.</summary>
    public int? AdvertisedPort { get; init; }

    /// <summary>The host Metadata, FindCoordinator and DescribeCluster give clients of this listener.</summary>
    public string AdvertisedHostOrBound => AdvertisedHost ?? Host;

    /// <summary>The port Metadata, FindCoordinator and DescribeCluster give clients of this listener (the bound port unless advertised otherwise).</summary>
    public int AdvertisedPortOrBound => AdvertisedPort is { } port and > 0 ? port : Port;
}
