using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Freshet.Bench.Broker;

/// <summary>
/// A throwaway CA and a server certificate for 127.0.0.1 (ECDSA P-256, as a modern deployment would use), written as
/// PEM files in <paramref name="Directory"/> for the TLS broker and librdkafka's <c>ssl.ca.location</c>.
/// </summary>
internal sealed record BenchCertificates(string Directory, string CaPath, string ServerCertificatePath, string ServerKeyPath)
{
    public static BenchCertificates Create(string directory)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Freshet Bench CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=freshet-bench-broker", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var server = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);

        System.IO.Directory.CreateDirectory(directory);
        var certificates = new BenchCertificates(directory, Path.Combine(directory, "ca.pem"), Path.Combine(directory, "broker.pem"), Path.Combine(directory, "broker.key"));
        File.WriteAllText(certificates.CaPath, ca.ExportCertificatePem() + "\n");
        File.WriteAllText(certificates.ServerCertificatePath, server.ExportCertificatePem() + "\n");
        File.WriteAllText(certificates.ServerKeyPath, serverKey.ExportPkcs8PrivateKeyPem() + "\n");
        return certificates;
    }
}
