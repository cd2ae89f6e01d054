using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Confluent.Kafka;
using Freshet.Broker.Security;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests.Security;

/// <summary>Brokers with TLS listeners over a <see cref="TestCertificateAuthority"/>, and librdkafka and .NET clients for them.</summary>
internal static class TlsTestSupport
{
    /// <summary>TLS options serving <paramref name="server"/> as PEM (certificate file + key file), trusting <paramref name="ca"/> for client certificates.</summary>
    public static TlsOptions PemOptions(IssuedCertificate server, TestCertificateAuthority ca, TlsClientAuth clientAuth = TlsClientAuth.None) => new()
    {
        KeystoreType = TlsStoreType.Pem,
        KeystoreLocation = server.CertificatePath,
        KeyLocation = server.KeyPath,
        TruststoreLocation = ca.CaPath,
        ClientAuth = clientAuth,
    };

    /// <summary>A broker with one SSL listener on 127.0.0.1 (named SSL) and the given TLS options.</summary>
    public static Task<BrokerHarness> StartSslBrokerAsync(TlsOptions tls, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null) =>
        BrokerHarness.StartAsync(new BrokerOptions
        {
            Listeners = [new BrokerListener("SSL", Freshet.Broker.Security.SecurityProtocol.Ssl, "127.0.0.1", 0)],
            Tls = tls,
            LoggerFactory = loggerFactory,
        });

    /// <summary>Makes <paramref name="config"/> a TLS client trusting <paramref name="ca"/>, presenting <paramref name="client"/> when given.</summary>
    public static T UseSsl<T>(this T config, TestCertificateAuthority ca, IssuedCertificate? client = null)
        where T : ClientConfig
    {
        config.SecurityProtocol = Confluent.Kafka.SecurityProtocol.Ssl;
        config.SslCaLocation = ca.CaPath;
        if (client is not null)
        {
            config.SslCertificateLocation = client.CertificatePath;
            config.SslKeyLocation = client.KeyPath;
        }

        return config;
    }

    /// <summary>
    /// Connects to <paramref name="port"/> with .NET's <see cref="SslStream"/> and returns the certificate the broker
    /// presented (any certificate is accepted: the test inspects it).
    /// </summary>
    public static async Task<X509Certificate2> ServerCertificateAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        X509Certificate2? seen = null;
#pragma warning disable CA5359 // The test inspects whatever certificate the broker presents; nothing is sent over this connection.
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return true;
        });
#pragma warning restore CA5359
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" });
        return seen ?? throw new InvalidOperationException("The broker presented no certificate.");
    }

    /// <summary>Produces <paramref name="count"/> messages to <paramref name="topic"/> and waits for each acknowledgement.</summary>
    public static async Task ProduceAsync(ProducerConfig config, string topic, int count, string prefix = "m")
    {
        using var producer = new ProducerBuilder<string, string>(config).Build();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = "k" + i, Value = prefix + i });
        }
    }
}
