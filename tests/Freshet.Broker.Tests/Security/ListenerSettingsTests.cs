using Freshet.Broker.Configuration;
using Freshet.Broker.Security;

namespace Freshet.Broker.Tests.Security;

/// <summary>Kafka's listener properties and the ssl.* properties read into <see cref="BrokerOptions"/>, and their refusals.</summary>
public sealed class ListenerSettingsTests
{
    [Fact]
    public void Apply_SeveralListenersWithMapAndAdvertised_BuildsEachListener()
    {
        var options = Apply(
            ("listeners", "PLAINTEXT://127.0.0.1:9092, external://0.0.0.0:9093,SSL://[::1]:0"),
            ("listener.security.protocol.map", "EXTERNAL:SSL"),
            ("advertised.listeners", "EXTERNAL://broker.example.com:19093"),
            ("ssl.keystore.location", "/etc/freshet/broker.pem"),
            ("ssl.keystore.type", "pem"),
            ("ssl.keystore.key.location", "/etc/freshet/broker.key"),
            ("ssl.truststore.location", "/etc/freshet/ca.pem"),
            ("ssl.client.auth", "required"));

        Assert.Equal(
            [
                new BrokerListener("PLAINTEXT", SecurityProtocol.Plaintext, "127.0.0.1", 9092),
                new BrokerListener("EXTERNAL", SecurityProtocol.Ssl, "0.0.0.0", 9093) { AdvertisedHost = "broker.example.com", AdvertisedPort = 19093 },
                new BrokerListener("SSL", SecurityProtocol.Ssl, "::1", 0),
            ],
            options.Listeners!);
        Assert.Equal(
            new TlsOptions { KeystoreLocation = "/etc/freshet/broker.pem", KeystoreType = TlsStoreType.Pem, KeyLocation = "/etc/freshet/broker.key", TruststoreLocation = "/etc/freshet/ca.pem", ClientAuth = TlsClientAuth.Required },
            options.Tls);
    }

    [Fact]
    public void Apply_OnePlaintextListener_StaysHostAndPort()
    {
        var options = Apply(("listeners", "PLAINTEXT://127.0.0.2:19092"));

        Assert.Equal(("127.0.0.2", 19092, (IReadOnlyList<BrokerListener>?)null), (options.Host, options.Port, options.Listeners));
    }

    [Fact]
    public void Apply_AdvertisedOnlyForTheDefaultListener_AdvertisesIt()
    {
        var options = Apply(("advertised.listeners", "PLAINTEXT://localhost:9092"));

        var listener = Assert.Single(options.Listeners!);
        Assert.Equal(("127.0.0.1", "localhost", 9092), (listener.Host, listener.AdvertisedHost, listener.AdvertisedPort!.Value));
    }

    [Theory]
    [InlineData("listeners", "127.0.0.1:9092", "is not NAME://HOST:PORT")]
    [InlineData("listeners", "PLAINTEXT://127.0.0.1", "is not NAME://HOST:PORT")]
    [InlineData("listeners", "PLAINTEXT://127.0.0.1:99999", "is not NAME://HOST:PORT")]
    [InlineData("listeners", "PLAINTEXT://::1:9092", "IPv6 address in brackets")]
    [InlineData("listeners", "PLAINTEXT://:9092", "has no host")]
    [InlineData("listeners", "PLAINTEXT://broker.example:9092", "must bind an IP address")]
    [InlineData("listeners", "INTERNAL://127.0.0.1:9092", "listener INTERNAL has no security protocol")]
    [InlineData("listeners", "PLAINTEXT://127.0.0.1:9092,PLAINTEXT://127.0.0.1:9093", "listener name PLAINTEXT appears twice")]
    [InlineData("listeners", "PLAINTEXT://127.0.0.1:9092,SASL_PLAINTEXT://127.0.0.1:9092", "port 9092 is used by two listeners")]
    [InlineData("listener.security.protocol.map", "EXTERNAL:TLS", "'TLS' is not a security protocol")]
    [InlineData("listener.security.protocol.map", "EXTERNAL", "is not NAME:PROTOCOL")]
    [InlineData("advertised.listeners", "EXTERNAL://broker.example.com:9093", "it advertises EXTERNAL, which is not a listener")]
    [InlineData("advertised.listeners", "PLAINTEXT://bad host:9093", "is not a host name or IP address")]
    [InlineData("ssl.client.auth", "always", "needs ssl.keystore.location")]
    public void Apply_MalformedListenerSetting_RefusedNamingIt(string name, string value, string expected)
    {
        var error = Assert.Throws<BrokerConfigurationException>(() => Apply((name, value)));

        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ssl.client.auth", "always", "must be none, requested or required")]
    [InlineData("ssl.keystore.type", "JKS", "must be PKCS12 or PEM")]
    [InlineData("ssl.handshake.timeout.ms", "0", "at least 1")]
    public void Apply_BadTlsValue_RefusedNamingIt(string name, string value, string expected)
    {
        var error = Assert.Throws<BrokerConfigurationException>(() => Apply(("ssl.keystore.location", "/x.p12"), (name, value)));

        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SSL://127.0.0.1:9093", "give the broker a certificate")]
    [InlineData("SASL_SSL://127.0.0.1:9093", "give the broker a certificate")]
    [InlineData("PLAINTEXT://0.0.0.0:9093", "give it an advertised host")]
    public void Apply_ListenersThatCannotBeServed_RefusedSayingWhy(string listeners, string expected)
    {
        var error = Assert.Throws<BrokerConfigurationException>(() => Apply(("listeners", listeners)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_WildcardBindWithAdvertisedHostName_IsAccepted()
    {
        var options = Apply(("listeners", "PLAINTEXT://0.0.0.0:9092"), ("advertised.listeners", "PLAINTEXT://broker.example.com:9092"));

        var listener = Assert.Single(options.Listeners!);
        Assert.Equal(("0.0.0.0", "broker.example.com"), (listener.Host, listener.AdvertisedHostOrBound));
    }

    private static BrokerOptions Apply(params (string Name, string Value)[] properties) =>
        BrokerConfiguration.Apply(new BrokerOptions(), properties.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
}
