using Freshet.Broker.Security;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests.Security;

/// <summary>
/// The server certificate files are read again when they change: new connections get the renewed certificate without a
/// restart (TlsCertificateLoaded, 2072); files that do not load keep the previous certificate (TlsCertificateReloadFailed, 2073).
/// </summary>
public sealed class CertificateReloadTests : IDisposable
{
    private readonly TestCertificateAuthority _ca = new();

    public void Dispose() => _ca.Dispose();

    [Fact]
    public async Task RenewedCertificateFiles_ServedToNewConnections_BrokenOnesKeepThePrevious()
    {
        var first = _ca.IssueServer("first-broker");
        var renewed = _ca.IssueServer("renewed-broker-certificate");
        var certificatePath = Path.Combine(_ca.Directory, "live.pem");
        var keyPath = Path.Combine(_ca.Directory, "live.key");
        Install(first, certificatePath, keyPath);
        using var log = new RecordedLog();
        var tls = new TlsOptions { KeystoreType = TlsStoreType.Pem, KeystoreLocation = certificatePath, KeyLocation = keyPath };
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(tls, log.Factory);
        await TlsTestSupport.ProduceAsync(harness.ProducerConfig().UseSsl(_ca), "reload", 1);

        using var before = await TlsTestSupport.ServerCertificateAsync(harness.Broker.Port);
        Install(renewed, certificatePath, keyPath);
        using var after = await TlsTestSupport.ServerCertificateAsync(harness.Broker.Port);
        await TlsTestSupport.ProduceAsync(harness.ProducerConfig().UseSsl(_ca), "reload", 1);

        Assert.Equal("CN=first-broker, O=Freshet Tests", before.Subject);
        Assert.Equal("CN=renewed-broker-certificate, O=Freshet Tests", after.Subject);
        var loaded = Assert.Single(log.Events(2072));
        Assert.Equal("CN=renewed-broker-certificate,O=Freshet Tests", loaded.GetStructuredStateValue("Subject"));

        // A key that does not belong to the certificate: refused, the renewed certificate stays.
        File.Copy(first.KeyPath, keyPath + ".tmp", overwrite: true);
        File.Move(keyPath + ".tmp", keyPath, overwrite: true);
        using var kept = await TlsTestSupport.ServerCertificateAsync(harness.Broker.Port);
        await TlsTestSupport.ProduceAsync(harness.ProducerConfig().UseSsl(_ca), "reload", 1);

        Assert.Equal("CN=renewed-broker-certificate, O=Freshet Tests", kept.Subject);
        Assert.Single(log.Events(2073));
        Assert.Equal(3, harness.Store.GetPartition("reload", 0).HighWatermark);
    }

    [Fact]
    public async Task MissingCertificateFile_BrokerDoesNotStart_NamingTheProperty()
    {
        var tls = new TlsOptions { KeystoreType = TlsStoreType.Pem, KeystoreLocation = Path.Combine(_ca.Directory, "absent.pem") };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => TlsTestSupport.StartSslBrokerAsync(tls));

        Assert.Contains("ssl.keystore.location", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Replaces the live files as a renewal tool does: written beside, then renamed over.</summary>
    private static void Install(IssuedCertificate certificate, string certificatePath, string keyPath)
    {
        File.Copy(certificate.CertificatePath, certificatePath + ".tmp", overwrite: true);
        File.Copy(certificate.KeyPath, keyPath + ".tmp", overwrite: true);
        File.Move(keyPath + ".tmp", keyPath, overwrite: true);
        File.Move(certificatePath + ".tmp", certificatePath, overwrite: true);
    }
}
