namespace Freshet.Broker.Security;

/// <summary>How a listener protects its connections, with Kafka's names (<c>security.protocol</c>).</summary>
public enum SecurityProtocol
{
    /// <summary><c>PLAINTEXT</c>: no encryption, no authentication; every client is <see cref="KafkaPrincipal.Anonymous"/>.</summary>
    Plaintext,

    /// <summary><c>SSL</c>: TLS; the principal comes from the client certificate when one is required or offered, else anonymous.</summary>
    Ssl,

    /// <summary><c>SASL_PLAINTEXT</c>: SASL authentication without encryption.</summary>
    SaslPlaintext,

    /// <summary><c>SASL_SSL</c>: SASL authentication inside TLS.</summary>
    SaslSsl,
}

/// <summary>Kafka's names of <see cref="SecurityProtocol"/> values.</summary>
public static class SecurityProtocols
{
    /// <summary>Kafka's name of <paramref name="protocol"/>, for example <c>SASL_SSL</c>.</summary>
    public static string KafkaName(this SecurityProtocol protocol) => protocol switch
    {
        SecurityProtocol.Plaintext => "PLAINTEXT",
        SecurityProtocol.Ssl => "SSL",
        SecurityProtocol.SaslPlaintext => "SASL_PLAINTEXT",
        SecurityProtocol.SaslSsl => "SASL_SSL",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    /// <summary>Whether connections of <paramref name="protocol"/> run inside TLS.</summary>
    public static bool UsesTls(this SecurityProtocol protocol) => protocol is SecurityProtocol.Ssl or SecurityProtocol.SaslSsl;

    /// <summary>Whether clients of <paramref name="protocol"/> must authenticate with SASL before any other request.</summary>
    public static bool UsesSasl(this SecurityProtocol protocol) => protocol is SecurityProtocol.SaslPlaintext or SecurityProtocol.SaslSsl;

    /// <summary>Reads a Kafka protocol name, case-insensitively.</summary>
    public static bool TryParse(string text, out SecurityProtocol protocol)
    {
        foreach (var candidate in Enum.GetValues<SecurityProtocol>())
        {
            if (string.Equals(candidate.KafkaName(), text, StringComparison.OrdinalIgnoreCase))
            {
                protocol = candidate;
                return true;
            }
        }

        protocol = default;
        return false;
    }
}
