using System.Security.Cryptography;
using Freshet.Broker.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Broker.Tests.Security;

/// <summary>The key store layouts <see cref="TlsCertificateSource"/> reads, and the refusals that stop a broker from starting.</summary>
public sealed class TlsCertificateSourceTests : IDisposable
{
    private readonly TestCertificateAuthority _ca = new();

    public void Dispose() => _ca.Dispose();

    [Fact]
    public void PemKeystore_KeyInTheSameFileAsTheChain_Loads()
    {
        var server = _ca.IssueServer("one-file");
        var combined = Path.Combine(_ca.Directory, "combined.pem");
        File.WriteAllText(combined, File.ReadAllText(server.CertificatePath) + File.ReadAllText(_ca.CaPath) + File.ReadAllText(server.KeyPath));

        var material = TlsCertificateSource.Load(new TlsOptions { KeystoreType = TlsStoreType.Pem, KeystoreLocation = combined });

        Assert.Equal("CN=one-file,O=Freshet Tests", material.Subject);
    }

    [Fact]
    public void EncryptedPemKey_LoadsWithItsPassword_AndIsRefusedWithAWrongOne()
    {
        var server = _ca.IssueServer("encrypted");
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(server.KeyPath));
        var encrypted = Path.Combine(_ca.Directory, "encrypted.key");
        File.WriteAllText(encrypted, key.ExportEncryptedPkcs8PrivateKeyPem("s3cret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000)));
        var options = new TlsOptions { KeystoreType = TlsStoreType.Pem, KeystoreLocation = server.CertificatePath, KeyLocation = encrypted, KeyPassword = "s3cret" };

        var material = TlsCertificateSource.Load(options);
        var wrong = Assert.Throws<ArgumentException>(() => new TlsCertificateSource(options with { KeyPassword = "guess" }, NullLogger.Instance));

        Assert.Equal("CN=encrypted,O=Freshet Tests", material.Subject);
        Assert.Contains("ssl.keystore.key.location", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyOfAnotherCertificate_IsRefusedNamingTheKeyFile()
    {
        var server = _ca.IssueServer("server");
        var other = _ca.IssueServer("other");

        var error = Assert.Throws<ArgumentException>(() => new TlsCertificateSource(new TlsOptions { KeystoreType = TlsStoreType.Pem, KeystoreLocation = server.CertificatePath, KeyLocation = other.KeyPath }, NullLogger.Instance));

        Assert.Contains(other.KeyPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyTruststore_IsRefused()
    {
        var server = _ca.IssueServer();
        var empty = Path.Combine(_ca.Directory, "empty.pem");
        File.WriteAllText(empty, "no certificates here\n");

        var error = Assert.Throws<ArgumentException>(() => new TlsCertificateSource(TlsTestSupport.PemOptions(server, _ca) with { TruststoreLocation = empty }, NullLogger.Instance));

        Assert.Contains("ssl.truststore.location", error.Message, StringComparison.Ordinal);
    }
}
