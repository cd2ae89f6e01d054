using Freshet.Streaming.Application.Membership.Security;

namespace Freshet.Streaming.Application.Membership;

/// <summary>Settings of a <see cref="KafkaConnection"/>. Immutable.</summary>
internal sealed record KafkaConnectionOptions
{
    /// <summary>The client id every request header carries (Kafka's <c>client.id</c>); the broker shows it in DescribeGroups.</summary>
    public string ClientId { get; init; } = "freshet";

    /// <summary>How long opening the TCP connection and the ApiVersions exchange may take together; default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The largest response accepted, in bytes, not counting the 4-byte size prefix; default 16 MiB. A larger size
    /// closes the connection before any of the payload is buffered, so a broken or hostile peer cannot make the
    /// client allocate without bound. A group leader's JoinGroup response carries every member's metadata, so
    /// the limit must cover the largest group expected.
    /// </summary>
    public int MaxResponseBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>TLS and SASL settings of the connection; default plaintext without authentication.</summary>
    public ClientSecurity Security { get; init; } = ClientSecurity.Plaintext;

    /// <summary>The clock request and connect timeouts are measured on.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
