namespace Freshet.Broker.Tests.Security;

/// <summary>One issued certificate: its subject and its files (PEM certificate, PEM PKCS#8 key, PKCS#12 with password).</summary>
public sealed record IssuedCertificate(string Subject, string CertificatePath, string KeyPath, string Pkcs12Path, string Pkcs12Password);
