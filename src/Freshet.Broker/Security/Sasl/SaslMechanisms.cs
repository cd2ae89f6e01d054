namespace Freshet.Broker.Security.Sasl;

/// <summary>The SASL mechanisms the broker can serve, by their SASL names (Kafka's <c>sasl.enabled.mechanisms</c> values).</summary>
public static class SaslMechanisms
{
    /// <summary><c>PLAIN</c> (RFC 4616): user name and password in the clear; use it inside TLS (SASL_SSL).</summary>
    public const string Plain = "PLAIN";

    /// <summary><c>SCRAM-SHA-256</c> (RFC 5802, RFC 7677): challenge-response; the password never crosses the wire.</summary>
    public const string ScramSha256 = "SCRAM-SHA-256";

    /// <summary><c>SCRAM-SHA-512</c>: SCRAM with SHA-512.</summary>
    public const string ScramSha512 = "SCRAM-SHA-512";

    /// <summary>Every mechanism the broker can serve.</summary>
    public static IReadOnlyList<string> Supported { get; } = [Plain, ScramSha256, ScramSha512];

    /// <summary>The default of <see cref="BrokerOptions.SaslEnabledMechanisms"/>: both SCRAM mechanisms; PLAIN only when asked for.</summary>
    public static IReadOnlyList<string> Default { get; } = [ScramSha256, ScramSha512];
}
