using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Freshet.Broker.Security;

/// <summary>
/// What one TLS handshake uses: the server certificate with its chain, and the authorities client certificates must
/// chain to (null: the system's roots). Immutable; thread-safe.
/// </summary>
/// <param name="ServerCertificate">The certificate and intermediates sent to clients.</param>
/// <param name="TrustedAuthorities">The roots client certificates are checked against, or null for the system's.</param>
/// <param name="Subject">The server certificate's subject, RFC 2253 form (for log events).</param>
/// <param name="NotAfter">When the server certificate expires (UTC).</param>
internal sealed record TlsMaterial(SslStreamCertificateContext ServerCertificate, X509Certificate2Collection? TrustedAuthorities, string Subject, DateTime NotAfter);
