using Freshet.Streaming.Application.Membership.Security;

namespace Freshet.Streaming.Tests.Application.Membership.Security;

/// <summary>The group member reads its TLS and SASL settings from the application's librdkafka properties.</summary>
public sealed class ClientSecurityTests
{
    [Fact]
    public void NoProperties_MeanPlaintext()
    {
        var security = ClientSecurity.FromProperties(null);

        Assert.False(security.UsesTls);
        Assert.Null(security.SaslMechanism);
    }

    [Fact]
    public void SaslSsl_WithScram_ReadsEverySetting()
    {
        var security = ClientSecurity.FromProperties(new Dictionary<string, string>
        {
            ["security.protocol"] = "SASL_SSL",
            ["sasl.mechanism"] = "scram-sha-512",
            ["sasl.username"] = "alice",
            ["sasl.password"] = "secret",
            ["ssl.ca.location"] = "/tmp/ca.pem",
            ["ssl.endpoint.identification.algorithm"] = "none",
            ["fetch.queue.backoff.ms"] = "10",
        });

        Assert.True(security.UsesTls);
        Assert.Equal("SCRAM-SHA-512", security.SaslMechanism);
        Assert.Equal("alice", security.SaslUsername);
        Assert.Equal("secret", security.SaslPassword);
        Assert.Equal("/tmp/ca.pem", security.CaLocation);
        Assert.False(security.VerifyHostname);
        Assert.True(security.VerifyCertificate);
        Assert.DoesNotContain("secret", security.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("security.protocol", "tls", "security.protocol")]
    [InlineData("sasl.mechanism", "GSSAPI", "GSSAPI")]
    [InlineData("sasl.mechanism", "OAUTHBEARER", "OAUTHBEARER")]
    [InlineData("enable.ssl.certificate.verification", "maybe", "enable.ssl.certificate.verification")]
    [InlineData("ssl.endpoint.identification.algorithm", "dns", "ssl.endpoint.identification.algorithm")]
    public void UnusableSettings_AreRefusedByName(string name, string value, string named)
    {
        var properties = new Dictionary<string, string> { ["security.protocol"] = "sasl_ssl", ["sasl.mechanism"] = "PLAIN", ["sasl.username"] = "u", ["sasl.password"] = "p", [name] = value };

        var refused = Assert.Throws<ArgumentException>(() => ClientSecurity.FromProperties(properties));
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sasl_WithoutAUserName_IsRefused()
    {
        var refused = Assert.Throws<ArgumentException>(() => ClientSecurity.FromProperties(new Dictionary<string, string> { ["security.protocol"] = "sasl_plaintext", ["sasl.mechanism"] = "PLAIN" }));

        Assert.Contains("sasl.username", refused.Message, StringComparison.Ordinal);
    }
}
