using Confluent.Kafka;
using Freshet.Broker.Security;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests.Security;

/// <summary>
/// Mutual TLS (<c>ssl.client.auth</c>): a client certificate from the trusted CA gives the connection the principal
/// <c>User:</c> + its subject in RFC 2253 form (seen in the TlsConnectionEstablished event, 2071); a certificate from
/// another CA, or none where one is required, fails the handshake (TlsHandshakeFailed, 2070) while a good client on
/// the same broker carries on.
/// </summary>
public sealed class MutualTlsTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly TestCertificateAuthority _ca = new();
    private readonly TestCertificateAuthority _otherCa = new("Another CA");

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
    }

    [Fact]
    public async Task RequiredClientCertificate_PrincipalIsTheSubjectInRfc2253Form()
    {
        using var log = new RecordedLog();
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(TlsTestSupport.PemOptions(_ca.IssueServer(), _ca, TlsClientAuth.Required), log.Factory);
        var alice = _ca.IssueClient("CN=alice,OU=payments,O=\"Acme, Inc.\",C=DE");

        await TlsTestSupport.ProduceAsync(harness.ProducerConfig().UseSsl(_ca, alice), "mtls", 2);

        var established = await log.WaitForAsync(2071, Wait);
        Assert.Equal("User:CN=alice,OU=payments,O=Acme\\, Inc.,C=DE", established.GetStructuredStateValue("Principal"));
        Assert.Equal("SSL", established.GetStructuredStateValue("Listener"));
        Assert.Equal(2, harness.Store.GetPartition("mtls", 0).HighWatermark);
    }

    [Fact]
    public async Task NoClientAuth_ClientIsAnonymousEvenWithACertificate()
    {
        using var log = new RecordedLog();
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(TlsTestSupport.PemOptions(_ca.IssueServer(), _ca), log.Factory);

        await TlsTestSupport.ProduceAsync(harness.ProducerConfig().UseSsl(_ca, _ca.IssueClient("CN=bob")), "anonymous", 1);

        var established = await log.WaitForAsync(2071, Wait);
        Assert.Equal("User:ANONYMOUS", established.GetStructuredStateValue("Principal"));
    }

    [Fact]
    public async Task RequestedClientAuth_WithoutACertificate_IsAnonymous_WithOneIsTheSubject()
    {
        using var log = new RecordedLog();
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(TlsTestSupport.PemOptions(_ca.IssueServer(), _ca, TlsClientAuth.Requested), log.Factory);

        await TlsTestSupport.ProduceAsync(harness.ProducerConfig().UseSsl(_ca), "requested", 1);
        await TlsTestSupport.ProduceAsync(harness.ProducerConfig().UseSsl(_ca, _ca.IssueClient("CN=carol")), "requested", 1);

        await WaitUntilAsync(() => log.Events(2071).Count >= 2);
        var principals = log.Events(2071).Select(e => e.GetStructuredStateValue("Principal")).ToHashSet();
        Assert.Contains("User:ANONYMOUS", principals);
        Assert.Contains("User:CN=carol", principals);
    }

    [Fact]
    public async Task UntrustedClientCertificate_IsRefused_AndAConcurrentGoodClientIsUndisturbed()
    {
        using var log = new RecordedLog();
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(TlsTestSupport.PemOptions(_ca.IssueServer(), _ca, TlsClientAuth.Required), log.Factory);
        harness.Store.CreateTopic("guarded", 1);
        using var good = new ProducerBuilder<string, string>(harness.ProducerConfig().UseSsl(_ca, _ca.IssueClient("CN=good"))).Build();
        await good.ProduceAsync("guarded", new Message<string, string> { Key = "k", Value = "before" });

        using (var intruder = new AdminClientBuilder(harness.AdminConfig().UseSsl(_ca, _otherCa.IssueClient("CN=mallory"))).Build())
        {
            Assert.ThrowsAny<KafkaException>(() => intruder.GetMetadata(TimeSpan.FromSeconds(3)));
        }

        var refused = await log.WaitForAsync(2070, Wait);
        Assert.Contains("not trusted", refused.GetStructuredStateValue("Problem"), StringComparison.Ordinal);
        await good.ProduceAsync("guarded", new Message<string, string> { Key = "k", Value = "after" });
        Assert.Equal(2, harness.Store.GetPartition("guarded", 0).HighWatermark);
    }

    [Fact]
    public async Task RequiredClientAuth_ClientWithoutCertificate_IsRefused()
    {
        using var log = new RecordedLog();
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(TlsTestSupport.PemOptions(_ca.IssueServer(), _ca, TlsClientAuth.Required), log.Factory);

        using (var anonymous = new AdminClientBuilder(harness.AdminConfig().UseSsl(_ca)).Build())
        {
            Assert.ThrowsAny<KafkaException>(() => anonymous.GetMetadata(TimeSpan.FromSeconds(3)));
        }

        var refused = await log.WaitForAsync(2070, Wait);
        Assert.Contains("no certificate", refused.GetStructuredStateValue("Problem"), StringComparison.Ordinal);
        Assert.Empty(log.Events(2071));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(20);
        }
    }
}
