using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Freshet.Broker.Tests.Security;

/// <summary>
/// A certificate authority made in the test with .NET's <see cref="CertificateRequest"/> (ECDSA P-256, SHA-256), and the
/// certificates it issues, written as PEM files in a temporary directory for librdkafka (<c>ssl.ca.location</c>,
/// <c>ssl.certificate.location</c>, <c>ssl.key.location</c>) and for the broker (<c>ssl.keystore.*</c>,
/// <c>ssl.truststore.location</c>). Server certificates name 127.0.0.1 and localhost; client certificates carry the
/// clientAuth usage. Deletes its directory when disposed.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa _key;
    private readonly X509Certificate2 _certificate;
    private long _nextSerial = 1;

    public TestCertificateAuthority(string name = "Freshet Test CA", string? directory = null)
    {
        Directory = directory ?? Path.Combine(Path.GetTempPath(), "freshet-tls-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name},O=Freshet Tests", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddYears(1));
        CaPath = Path.Combine(Directory, Sanitize(name) + "-ca.pem");
        File.WriteAllText(CaPath, _certificate.ExportCertificatePem() + "\n");
    }

    /// <summary>Where the PEM files are written.</summary>
    public string Directory { get; }

    /// <summary>The CA certificate as PEM (a trust store).</summary>
    public string CaPath { get; }

    /// <summary>A server certificate for 127.0.0.1 and localhost, valid from yesterday for a month unless told otherwise.</summary>
    public IssuedCertificate IssueServer(string commonName = "freshet-broker", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        return Issue($"CN={commonName},O=Freshet Tests", "1.3.6.1.5.5.7.3.1", names.Build(), notBefore, notAfter);
    }

    /// <summary>A client certificate with subject <paramref name="subject"/> (for example <c>CN=alice,OU=eng,O=Acme</c>).</summary>
    public IssuedCertificate IssueClient(string subject) => Issue(subject, "1.3.6.1.5.5.7.3.2", null, null, null);

    private IssuedCertificate Issue(string subject, string usageOid, X509Extension? alternativeNames, DateTimeOffset? notBefore, DateTimeOffset? notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        var serial = BitConverter.GetBytes(Interlocked.Increment(ref _nextSerial));
        using var issued = request.Create(_certificate, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(30), serial);
        var stem = Path.Combine(Directory, Sanitize(subject) + "-" + Guid.NewGuid().ToString("N")[..6]);
        var certificatePath = stem + ".pem";
        var keyPath = stem + ".key";
        File.WriteAllText(certificatePath, issued.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        var pkcs12Path = stem + ".p12";
        using (var withKey = issued.CopyWithPrivateKey(key))
        {
            File.WriteAllBytes(pkcs12Path, withKey.Export(X509ContentType.Pkcs12, "p12-secret"));
        }

        return new IssuedCertificate(subject, certificatePath, keyPath, pkcs12Path, "p12-secret");
    }

    private static string Sanitize(string name) => string.Concat(name.Select(static c => char.IsAsciiLetterOrDigit(c) ? c : '-'));

    public void Dispose()
    {
        _key.Dispose();
        _certificate.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temporary directory is cleaned by the OS eventually.
        }
    }
}
