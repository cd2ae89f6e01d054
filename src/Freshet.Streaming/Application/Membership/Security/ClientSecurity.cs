using System.Globalization;

namespace Freshet.Streaming.Application.Membership.Security;

/// <summary>
/// How the group member's own connections are protected, read from the same librdkafka properties the application's
/// Kafka clients get (<see cref="ApplicationOptions.ClientProperties"/>), so one set of settings secures every
/// connection an instance opens: <c>security.protocol</c> (plaintext, ssl, sasl_plaintext, sasl_ssl),
/// <c>sasl.mechanism</c> (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), <c>sasl.username</c>, <c>sasl.password</c>,
/// <c>ssl.ca.location</c> (PEM file of trusted CAs; default the system's), <c>ssl.certificate.location</c> and
/// <c>ssl.key.location</c> (PEM client certificate and key, for brokers that require one), <c>ssl.key.password</c>,
/// <c>enable.ssl.certificate.verification</c> and <c>ssl.endpoint.identification.algorithm</c> (https or none).
/// Properties the member does not use are ignored here (the librdkafka clients use them). Immutable (a class, not a record, so the password never appears in a printed value).
/// </summary>
internal sealed class ClientSecurity
{
    /// <summary>Plaintext without authentication: the default.</summary>
    public static ClientSecurity Plaintext { get; } = new();

    /// <summary>Whether connections run inside TLS.</summary>
    public bool UsesTls { get; init; }

    /// <summary>The SASL mechanism to authenticate with, or null for none.</summary>
    public string? SaslMechanism { get; init; }

    /// <summary>The SASL user name.</summary>
    public string SaslUsername { get; init; } = "";

    /// <summary>The SASL password.</summary>
    public string SaslPassword { get; init; } = "";

    /// <summary>A PEM file of CA certificates to trust instead of the system's, or null.</summary>
    public string? CaLocation { get; init; }

    /// <summary>A PEM client certificate to present, or null.</summary>
    public string? CertificateLocation { get; init; }

    /// <summary>The PEM private key of <see cref="CertificateLocation"/>, or null.</summary>
    public string? KeyLocation { get; init; }

    /// <summary>The password of an encrypted <see cref="KeyLocation"/>, or null.</summary>
    public string? KeyPassword { get; init; }

    /// <summary>Whether the broker's certificate chain is verified (librdkafka's default: yes).</summary>
    public bool VerifyCertificate { get; init; } = true;

    /// <summary>Whether the broker's certificate must name the host connected to (librdkafka 2's default: yes).</summary>
    public bool VerifyHostname { get; init; } = true;

    /// <summary>Reads the settings from librdkafka properties.</summary>
    /// <exception cref="ArgumentException">A value is not one librdkafka accepts, or SASL lacks a user name.</exception>
    public static ClientSecurity FromProperties(IReadOnlyDictionary<string, string>? properties)
    {
        if (properties is null)
        {
            return Plaintext;
        }

        string? Get(string name) => properties.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var protocol = (Get("security.protocol") ?? "plaintext").ToLowerInvariant();
        var (tls, sasl) = protocol switch
        {
            "plaintext" => (false, false),
            "ssl" => (true, false),
            "sasl_plaintext" => (false, true),
            "sasl_ssl" => (true, true),
            _ => throw new ArgumentException($"security.protocol '{protocol}' is not one of plaintext, ssl, sasl_plaintext, sasl_ssl."),
        };

        string? mechanism = null;
        if (sasl)
        {
            mechanism = (Get("sasl.mechanism") ?? Get("sasl.mechanisms") ?? "GSSAPI").ToUpperInvariant();
            if (!SaslClient.IsSupported(mechanism))
            {
                throw new ArgumentException($"sasl.mechanism '{mechanism}' is not supported by application mode's group member; use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.");
            }

            if (Get("sasl.username") is null)
            {
                throw new ArgumentException($"security.protocol {protocol} with sasl.mechanism {mechanism} needs sasl.username and sasl.password.");
            }
        }

        return new ClientSecurity
        {
            UsesTls = tls,
            SaslMechanism = mechanism,
            SaslUsername = Get("sasl.username") ?? "",
            SaslPassword = properties.TryGetValue("sasl.password", out var password) ? password : "",
            CaLocation = Get("ssl.ca.location"),
            CertificateLocation = Get("ssl.certificate.location"),
            KeyLocation = Get("ssl.key.location"),
            KeyPassword = Get("ssl.key.password"),
            VerifyCertificate = ParseBool(Get("enable.ssl.certificate.verification"), "enable.ssl.certificate.verification", true),
            VerifyHostname = (Get("ssl.endpoint.identification.algorithm") ?? "https").ToLowerInvariant() switch
            {
                "https" => true,
                "none" => false,
                var other => throw new ArgumentException($"ssl.endpoint.identification.algorithm '{other}' is not one of https, none."),
            },
        };
    }

    private static bool ParseBool(string? text, string name, bool fallback) => text?.ToLowerInvariant() switch
    {
        null => fallback,
        "true" => true,
        "false" => false,
        _ => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name} '{text}' is not true or false.")),
    };
}
