using System.Text;
using Confluent.Kafka;
using Freshet.Broker.Security;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests.Security;

/// <summary>
/// A broker with a PLAINTEXT and an SSL listener at once: Metadata, FindCoordinator (a consumer group) and
/// DescribeCluster answer each client with the advertised address of the listener it connected to, so a client stays on
/// its listener; data written through one listener is read through the other.
/// </summary>
public sealed class ListenerAdvertisingTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TestCertificateAuthority _ca = new();

    public void Dispose() => _ca.Dispose();

    [Fact]
    public async Task PlaintextAndSslListeners_EachAdvertisesItsOwnAddress()
    {
        using var log = new RecordedLog();
        await using var harness = await BrokerHarness.StartAsync(new BrokerOptions
        {
            Listeners =
            [
                new BrokerListener("PLAINTEXT", Freshet.Broker.Security.SecurityProtocol.Plaintext, "127.0.0.1", 0),
                new BrokerListener("EXTERNAL", Freshet.Broker.Security.SecurityProtocol.Ssl, "127.0.0.1", 0) { AdvertisedHost = "localhost" },
            ],
            Tls = TlsTestSupport.PemOptions(_ca.IssueServer(), _ca),
            LoggerFactory = log.Factory,
        });
        var plainPort = harness.Broker.Port;
        var sslPort = harness.Broker.Listeners[1].Port;
        var sslBootstrap = harness.Broker.BootstrapAddressOf("EXTERNAL");

        using var plainAdmin = new AdminClientBuilder(harness.AdminConfig()).Build();
        using var sslAdmin = new AdminClientBuilder(Ssl(harness.AdminConfig(), sslBootstrap)).Build();
        var plainBroker = Assert.Single(plainAdmin.GetMetadata(Timeout).Brokers);
        var sslBroker = Assert.Single(sslAdmin.GetMetadata(Timeout).Brokers);
        var sslCluster = Assert.Single((await sslAdmin.DescribeClusterAsync()).Nodes);
        var plainCluster = Assert.Single((await plainAdmin.DescribeClusterAsync()).Nodes);

        Assert.Equal(("127.0.0.1", plainPort), (plainBroker.Host, plainBroker.Port));
        Assert.Equal(("localhost", sslPort), (sslBroker.Host, sslBroker.Port));
        Assert.Equal(("localhost", sslPort), (sslCluster.Host, sslCluster.Port));
        Assert.Equal(("127.0.0.1", plainPort), (plainCluster.Host, plainCluster.Port));

        // Produce over TLS (through the advertised localhost address), read back in a group over TLS (FindCoordinator)
        // and without a group over plaintext.
        await TlsTestSupport.ProduceAsync(Ssl(harness.ProducerConfig(), sslBootstrap), "both-ways", 5);
        using (var consumer = new ConsumerBuilder<string, string>(Ssl(harness.ConsumerConfig(c => c.GroupId = "ssl-group"), sslBootstrap)).Build())
        {
            consumer.Subscribe("both-ways");
            var count = 0;
            var deadline = DateTime.UtcNow + Timeout;
            while (count < 5 && DateTime.UtcNow < deadline)
            {
                count += consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } ? 1 : 0;
            }

            Assert.Equal(5, count);
            consumer.Close();
        }

        var plain = harness.ConsumeFromBeginning("both-ways", 5);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => "m" + i), plain.Select(r => Encoding.UTF8.GetString(r.Message.Value!)));
        var started = Assert.Single(log.Events(2000));
        Assert.Equal($"PLAINTEXT://127.0.0.1:{plainPort}, EXTERNAL(SSL)://127.0.0.1:{sslPort} advertised as localhost:{sslPort}", started.GetStructuredStateValue("Listeners"));
    }

    private T Ssl<T>(T config, string bootstrap)
        where T : ClientConfig
    {
        config.BootstrapServers = bootstrap;
        config.BrokerAddressFamily = BrokerAddressFamily.V4;
        return config.UseSsl(_ca);
    }
}
