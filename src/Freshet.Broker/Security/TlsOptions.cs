namespace Freshet.Broker.Security;

/// <summary>
/// The certificate TLS listeners (<see cref="SecurityProtocol.Ssl"/>, <see cref="SecurityProtocol.SaslSsl"/>) present,
/// and how they check client certificates. Property names are Kafka's (<c>ssl.*</c>, docs/security.md); only TLS 1.2
/// and 1.3 are served. The files are read when the broker starts and again, for new connections, whenever one of them
/// changes (a renewed certificate needs no restart); a change that does not load keeps the previous certificate.
/// Immutable; thread-safe.
/// </summary>
public sealed record TlsOptions
{
    /// <summary>
    /// The server certificate (Kafka: <c>ssl.keystore.location</c>): a PKCS#12 file holding the certificate, its key and
    /// optionally its chain, or (<see cref="KeystoreType"/> PEM) a PEM file whose first certificate is the server's,
    /// followed by the intermediates to send with it; the key may be in the same file or in <see cref="KeyLocation"/>.
    /// </summary>
    public required string KeystoreLocation { get; init; }

    /// <summary>The format of <see cref="KeystoreLocation"/> (Kafka: <c>ssl.keystore.type</c>, default PKCS12).</summary>
    public TlsStoreType KeystoreType { get; init; } = TlsStoreType.Pkcs12;

    /// <summary>The password of a PKCS#12 key store (Kafka: <c>ssl.keystore.password</c>); null: none.</summary>
    public string? KeystorePassword { get; init; }

    /// <summary>
    /// For a PEM key store, a separate file holding the private key (Freshet: <c>ssl.keystore.key.location</c>); null:
    /// the key is in <see cref="KeystoreLocation"/>.
    /// </summary>
    public string? KeyLocation { get; init; }

    /// <summary>The password of an encrypted PEM private key (<c>ENCRYPTED PRIVATE KEY</c>, Kafka: <c>ssl.key.password</c>); null: not encrypted.</summary>
    public string? KeyPassword { get; init; }

    /// <summary>
    /// The certificate authorities client certificates must chain to (Kafka: <c>ssl.truststore.location</c>): a PEM bundle
    /// or a PKCS#12 file. Null: the operating system's trusted roots.
    /// </summary>
    public string? TruststoreLocation { get; init; }

    /// <summary>The format of <see cref="TruststoreLocation"/> (Kafka: <c>ssl.truststore.type</c>, default PEM here).</summary>
    public TlsStoreType TruststoreType { get; init; } = TlsStoreType.Pem;

    /// <summary>The password of a PKCS#12 trust store (Kafka: <c>ssl.truststore.password</c>); null: none.</summary>
    public string? TruststorePassword { get; init; }

    /// <summary>Whether clients must present a certificate (Kafka: <c>ssl.client.auth</c>, default none).</summary>
    public TlsClientAuth ClientAuth { get; init; } = TlsClientAuth.None;

    /// <summary>
    /// How long a client has to finish the TLS handshake, in milliseconds (Freshet: <c>ssl.handshake.timeout.ms</c>,
    /// default 10000); a client that takes longer is disconnected.
    /// </summary>
    public int HandshakeTimeoutMs { get; init; } = 10_000;

    /// <summary>Checks that the values are usable (the files are read at start).</summary>
    /// <exception cref="ArgumentException">A value is missing or out of range; the message names it.</exception>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(KeystoreLocation))
        {
            throw new ArgumentException("TlsOptions.KeystoreLocation (ssl.keystore.location) must name the server certificate file.");
        }

        if (KeyLocation is not null && KeystoreType != TlsStoreType.Pem)
        {
            throw new ArgumentException("TlsOptions.KeyLocation (ssl.keystore.key.location) is for a PEM key store (ssl.keystore.type=PEM); a PKCS12 key store holds its own key.");
        }

        if (HandshakeTimeoutMs < 1)
        {
            throw new ArgumentException($"TlsOptions.HandshakeTimeoutMs (ssl.handshake.timeout.ms) must be at least 1 (got {HandshakeTimeoutMs}).");
        }
    }
}
