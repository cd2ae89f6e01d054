using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Streaming.Application.Membership.Security;

namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// TLS and SASL for the connection (<see cref="KafkaConnectionOptions.Security"/>): TLS wraps the socket before the
/// first request; SASL runs SaslHandshake (v1) and SaslAuthenticate right after ApiVersions, and again on the same
/// connection before the session the broker granted ends (KIP-368), so the broker never closes it for an expired
/// session. Refused credentials and certificates throw <see cref="KafkaAuthenticationException"/>, which the member
/// does not retry.
/// </summary>
internal sealed partial class KafkaConnection
{
    /// <summary>Re-authenticate when this share of the session lifetime has passed, as the Java client does (85 % to 95 %).</summary>
    private const double ReauthenticateAtLifetimeShare = 0.85;

    private async Task StartTlsAsync(CancellationToken token, CancellationToken callerToken)
    {
        var security = _options.Security;
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        X509Certificate2Collection? trusted = null;
        try
        {
            trusted = security.CaLocation is { } ca ? LoadPemCertificates(ca) : null;
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = Address.Host,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => IsTrusted(security, trusted, certificate, errors),
            };
            if (security.CertificateLocation is { } certificatePath)
            {
                var key = security.KeyLocation ?? certificatePath;
                using var pem = security.KeyPassword is { } password
                    ? X509Certificate2.CreateFromEncryptedPemFile(certificatePath, password, key)
                    : X509Certificate2.CreateFromPemFile(certificatePath, key);

                // SslStream on Linux needs the key in an exportable, persisted form.
                options.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
            }

            await tls.AuthenticateAsClientAsync(options, token).ConfigureAwait(false);
            _stream = tls;
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new KafkaConnectionException($"The TLS handshake with the broker at {Address} did not finish within {Seconds(_options.ConnectTimeout)}.");
        }
        catch (AuthenticationException ex)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new KafkaAuthenticationException($"The TLS handshake with the broker at {Address} failed: {ex.Message} Check ssl.ca.location and the broker's certificate.", ex);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new KafkaConnectionException($"The TLS handshake with the broker at {Address} failed: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FileNotFoundException or DirectoryNotFoundException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new KafkaAuthenticationException($"The TLS settings for the broker at {Address} cannot be used: {ex.Message}", ex);
        }
    }

    private static bool IsTrusted(ClientSecurity security, X509Certificate2Collection? trusted, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (!security.VerifyCertificate)
        {
            return true;
        }

        if (!security.VerifyHostname)
        {
            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        }

        if (trusted is null || certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return errors == SslPolicyErrors.None;
        }

        // Chain to the configured CAs only, not the system's.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static X509Certificate2Collection LoadPemCertificates(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        if (certificates.Count == 0)
        {
            throw new FileNotFoundException($"ssl.ca.location '{path}' holds no PEM certificate.", path);
        }

        return certificates;
    }

    /// <summary>Runs one SASL exchange with the configured mechanism, holding the gate so no other request interleaves.</summary>
    private async Task AuthenticateAsync(CancellationToken token, CancellationToken callerToken)
    {
        var security = _options.Security;
        var mechanism = security.SaslMechanism!;
        await EnterGateAsync(ApiKeys.SaslHandshake, _options.ConnectTimeout, token, callerToken).ConfigureAwait(false);
        try
        {
            if (_options.Clock.GetUtcNow().ToUnixTimeMilliseconds() < Volatile.Read(ref _reauthenticateAtMs) && _reauthenticateAtMs != long.MaxValue)
            {
                return; // Another request renewed the session while this one waited.
            }

            var handshake = await ExchangeHoldingGateAsync<SaslHandshakeRequest, SaslHandshakeResponse>(
                new SaslHandshakeRequest { Mechanism = mechanism }, Versions.VersionOf(ApiKeys.SaslHandshake), _options.ConnectTimeout, token, callerToken).ConfigureAwait(false);
            if (handshake.ErrorCode != KafkaErrorCode.None)
            {
                Close();
                throw new KafkaAuthenticationException($"The broker at {Address} does not accept SASL mechanism {mechanism} ({KafkaErrorCode.Describe(handshake.ErrorCode)}); it offers {string.Join(", ", handshake.Mechanisms)}.");
            }

            var client = SaslClient.Create(mechanism, security.SaslUsername, security.SaslPassword);
            var token1 = client.FirstMessage();
            var version = Versions.VersionOf(ApiKeys.SaslAuthenticate);
            var startedMs = _options.Clock.GetUtcNow().ToUnixTimeMilliseconds();
            while (true)
            {
                var response = await ExchangeHoldingGateAsync<SaslAuthenticateRequest, SaslAuthenticateResponse>(
                    new SaslAuthenticateRequest { AuthBytes = token1 }, version, _options.ConnectTimeout, token, callerToken).ConfigureAwait(false);
                if (response.ErrorCode != KafkaErrorCode.None)
                {
                    Close();
                    throw new KafkaAuthenticationException($"The broker at {Address} refused SASL {mechanism} authentication of '{security.SaslUsername}': {response.ErrorMessage ?? KafkaErrorCode.Describe(response.ErrorCode)}");
                }

                byte[]? next;
                try
                {
                    next = client.Respond(response.AuthBytes);
                }
                catch (KafkaAuthenticationException)
                {
                    Close();
                    throw;
                }

                if (next is null)
                {
                    Volatile.Write(ref _reauthenticateAtMs, response.SessionLifetimeMs > 0
                        ? startedMs + (long)(response.SessionLifetimeMs * ReauthenticateAtLifetimeShare)
                        : long.MaxValue);
                    return;
                }

                token1 = next;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
