using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Freshet.Broker.Security;

/// <summary>
/// The server side of TLS for one broker: runs each connection's handshake with the current certificate
/// (<see cref="TlsCertificateSource"/>), TLS 1.2 or 1.3 only, checks the client certificate as
/// <see cref="TlsOptions.ClientAuth"/> asks, and names the client's principal (its certificate subject, or anonymous).
/// A handshake that fails or takes longer than <see cref="TlsOptions.HandshakeTimeoutMs"/> throws
/// <see cref="TlsHandshakeException"/>; the caller closes that connection only. Thread-safe: handshakes run concurrently.
/// </summary>
internal sealed class TlsServer
{
    private readonly TlsOptions _options;

    public TlsServer(TlsOptions options, TlsCertificateSource certificates)
    {
        _options = options;
        Certificates = certificates;
    }

    /// <summary>Where the server certificate comes from.</summary>
    public TlsCertificateSource Certificates { get; }

    /// <summary>
    /// Runs the server handshake over <paramref name="transport"/> and returns the encrypted stream (which owns
    /// <paramref name="transport"/>) and the client's principal: <c>User:</c> and the client certificate's subject in
    /// RFC 2253 form when client authentication is on and a certificate was presented, else <see cref="KafkaPrincipal.Anonymous"/>.
    /// </summary>
    /// <exception cref="TlsHandshakeException">The handshake failed, timed out or was cancelled; the message says why.</exception>
    public async Task<(SslStream Stream, KafkaPrincipal Principal)> AuthenticateAsync(Stream transport, CancellationToken cancellationToken)
    {
        var material = Certificates.Current;
        string? refusal = null;
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = material.ServerCertificate,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = _options.ClientAuth != TlsClientAuth.None,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            AllowRenegotiation = false,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                refusal = ClientCertificateProblem(certificate, chain, errors);
                return refusal is null;
            },
        };
        if (material.TrustedAuthorities is { } authorities)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(authorities);
            options.CertificateChainPolicy = policy;
        }

        var stream = new SslStream(transport, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HandshakeTimeoutMs);
        try
        {
            await stream.AuthenticateAsServerAsync(options, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            var why = refusal
                ?? (e is OperationCanceledException
                    ? cancellationToken.IsCancellationRequested ? "the broker is stopping" : $"not finished within {_options.HandshakeTimeoutMs} ms (ssl.handshake.timeout.ms)"
                    : e.InnerException is { } inner ? e.Message.TrimEnd('.') + ": " + inner.Message : e.Message);
            throw new TlsHandshakeException(why, e);
        }

        var principal = _options.ClientAuth != TlsClientAuth.None && stream.RemoteCertificate is { } remote
            ? CertificateSubject.PrincipalOf(remote as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(remote.GetRawCertData()))
            : KafkaPrincipal.Anonymous;
        return (stream, principal);
    }

    /// <summary>Why the client's certificate is refused, or null when it is accepted.</summary>
    private string? ClientCertificateProblem(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return _options.ClientAuth == TlsClientAuth.Required ? "the client presented no certificate (ssl.client.auth=required)" : null;
        }

        if ((errors & ~SslPolicyErrors.RemoteCertificateNotAvailable) == SslPolicyErrors.None)
        {
            return null;
        }

        var statuses = chain is null ? "" : string.Join(", ", chain.ChainStatus.Select(static s => s.Status.ToString()).Distinct());
        return $"the client certificate '{certificate.Subject}' is not trusted ({errors}{(statuses.Length > 0 ? ": " + statuses : "")})";
    }
}
