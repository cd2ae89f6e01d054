using Freshet.Kafka.Protocol;

namespace Freshet.Streaming.Application.Membership.Security;

/// <summary>The API versions a SASL-authenticating connection needs: SaslHandshake v1 (tokens travel in SaslAuthenticate) and SaslAuthenticate.</summary>
internal static class SaslAuthentication
{
    /// <summary>The ranges to add to a connection's needed APIs when it authenticates with SASL.</summary>
    public static IReadOnlyList<ApiVersionRange> Needed { get; } =
    [
        new(ApiKeys.SaslHandshake, 1, 1),
        new(ApiKeys.SaslAuthenticate, 0, 2),
    ];
}
