namespace Freshet.Broker.Security;

/// <summary>Whether TLS listeners ask clients for a certificate (Kafka's <c>ssl.client.auth</c>).</summary>
public enum TlsClientAuth
{
    /// <summary><c>none</c>: no client certificate is asked for; clients are <see cref="KafkaPrincipal.Anonymous"/>.</summary>
    None,

    /// <summary>
    /// <c>requested</c>: a client certificate is asked for but may be left out (the client is then anonymous); a
    /// certificate that is offered must be trusted, or the handshake fails.
    /// </summary>
    Requested,

    /// <summary><c>required</c>: every client must present a trusted certificate (mutual TLS).</summary>
    Required,
}
