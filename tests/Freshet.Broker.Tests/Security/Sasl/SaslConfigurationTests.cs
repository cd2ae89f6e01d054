using Freshet.Broker.Configuration;
using Freshet.Broker.Security;
using Freshet.Broker.Security.Sasl;
using Freshet.Log;

namespace Freshet.Broker.Tests.Security.Sasl;

/// <summary><c>sasl.enabled.mechanisms</c> and <c>connections.max.reauth.ms</c> as broker properties, and the checks on BrokerOptions.</summary>
public sealed class SaslConfigurationTests
{
    [Fact]
    public void Apply_SaslProperties_SetTheOptions()
    {
        var options = BrokerConfiguration.Apply(new BrokerOptions(), [new("sasl.enabled.mechanisms", " SCRAM-SHA-512, PLAIN "), new("connections.max.reauth.ms", "3600000")]);
        Assert.Equal(["SCRAM-SHA-512", "PLAIN"], options.SaslEnabledMechanisms);
        Assert.Equal(3_600_000, options.ConnectionsMaxReauthMs);
        Assert.Equal(["SCRAM-SHA-256", "SCRAM-SHA-512"], new BrokerOptions().SaslEnabledMechanisms);
        Assert.Equal(0, new BrokerOptions().ConnectionsMaxReauthMs);
    }

    [Theory]
    [InlineData("sasl.enabled.mechanisms", "GSSAPI", "'GSSAPI' is not a SASL mechanism Freshet serves")]
    [InlineData("sasl.enabled.mechanisms", " , ", "must name at least one")]
    [InlineData("sasl.enabled.mechanisms", "PLAIN,PLAIN", "names a mechanism twice")]
    [InlineData("connections.max.reauth.ms", "-1", "'connections.max.reauth.ms'")]
    public void Apply_BadSaslValue_RefusedNamingTheSetting(string name, string value, string expected)
    {
        var error = Assert.Throws<BrokerConfigurationException>(() => BrokerConfiguration.Apply(new BrokerOptions(), [new(name, value)]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SaslPlaintextListenerAccepted_SaslSslNeedsACertificate()
    {
        new BrokerOptions { Listeners = [new BrokerListener("SASL", SecurityProtocol.SaslPlaintext, "127.0.0.1", 0)] }.Validate();
        var error = Assert.Throws<ArgumentException>(() => new BrokerOptions { Listeners = [new BrokerListener("SECURE", SecurityProtocol.SaslSsl, "127.0.0.1", 0)] }.Validate());
        Assert.Contains("SECURE", error.Message, StringComparison.Ordinal);
        Assert.Contains("certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_DamagedCredentialsFile_RefusedNamingTheFile()
    {
        using var users = new SaslTestUsers();
        File.WriteAllText(Path.Combine(users.Directory, ScramCredentialStore.FileName), "not json");
        using var store = LogStore.Open(users.Directory, new LogStoreOptions { BackgroundMaintenance = false });
        var error = await Assert.ThrowsAsync<LogException>(() => KafkaBroker.StartAsync(store));
        Assert.Contains(ScramCredentialStore.FileName, error.Message, StringComparison.Ordinal);
    }
}
