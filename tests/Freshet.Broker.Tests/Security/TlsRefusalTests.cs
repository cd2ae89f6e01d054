using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Confluent.Kafka;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests.Security;

/// <summary>
/// Handshakes that must fail, each closing only its own connection with a TlsHandshakeFailed event (2070): an expired
/// server certificate (the client refuses it), a plaintext Kafka client on the TLS port, random bytes, a truncated
/// ClientHello left open (the handshake timeout ends it) and a fuzzed stream of mutated ClientHellos. After each, a good
/// TLS client on the same broker still produces, and no connection is left open.
/// </summary>
public sealed class TlsRefusalTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly TestCertificateAuthority _ca = new();

    public void Dispose() => _ca.Dispose();

    [Fact]
    public async Task ExpiredServerCertificate_ClientRefusesIt_BrokerStaysUp()
    {
        var expired = _ca.IssueServer("expired-broker", DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1));
        using var log = new RecordedLog();
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(TlsTestSupport.PemOptions(expired, _ca), log.Factory);

        using (var admin = new AdminClientBuilder(harness.AdminConfig().UseSsl(_ca)).Build())
        {
            var failure = Assert.ThrowsAny<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(3)));
            Assert.NotNull(failure);
        }

        await log.WaitForAsync(2070, Wait);
        using var presented = await TlsTestSupport.ServerCertificateAsync(harness.Broker.Port);
        Assert.True(presented.NotAfter < DateTime.Now);
    }

    [Fact]
    public async Task PlaintextClient_OnTheTlsPort_IsClosed_AndATlsClientIsUndisturbed()
    {
        using var log = new RecordedLog();
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(TlsTestSupport.PemOptions(_ca.IssueServer(), _ca), log.Factory);
        harness.Store.CreateTopic("mixed", 1);
        using var good = new ProducerBuilder<string, string>(harness.ProducerConfig().UseSsl(_ca)).Build();
        await good.ProduceAsync("mixed", new Message<string, string> { Key = "k", Value = "before" });

        using (var plaintext = new AdminClientBuilder(harness.AdminConfig()).Build())
        {
            Assert.ThrowsAny<KafkaException>(() => plaintext.GetMetadata(TimeSpan.FromSeconds(3)));
        }

        await log.WaitForAsync(2070, Wait);
        await good.ProduceAsync("mixed", new Message<string, string> { Key = "k", Value = "after" });
        Assert.Equal(2, harness.Store.GetPartition("mixed", 0).HighWatermark);
        Assert.Empty(log.Events(2017));
    }

    [Fact]
    public async Task RandomBytes_InTheHandshake_CloseThatConnectionOnly()
    {
        using var log = new RecordedLog();
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(TlsTestSupport.PemOptions(_ca.IssueServer(), _ca), log.Factory);
        var random = new Random(20261208);
        var garbage = new byte[4096];
        random.NextBytes(garbage);

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, harness.Broker.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(garbage);
            Assert.True(await IsClosedAsync(stream));
        }

        await log.WaitForAsync(2070, Wait);
        await TlsTestSupport.ProduceAsync(harness.ProducerConfig().UseSsl(_ca), "after-garbage", 1);
        await WaitForNoConnectionsAsync(harness);
    }

    [Fact]
    public async Task TruncatedClientHello_LeftOpen_IsClosedByTheHandshakeTimeout()
    {
        using var log = new RecordedLog();
        var tls = TlsTestSupport.PemOptions(_ca.IssueServer(), _ca) with { HandshakeTimeoutMs = 500 };
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(tls, log.Factory);
        var hello = await CaptureClientHelloAsync();

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, harness.Broker.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(hello.AsMemory(0, hello.Length / 2));
            Assert.True(await IsClosedAsync(stream));
        }

        var failed = await log.WaitForAsync(2070, Wait);
        Assert.Contains("ssl.handshake.timeout.ms", failed.GetStructuredStateValue("Problem"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MutatedClientHellos_NeverDisturbTheBroker()
    {
        using var log = new RecordedLog();
        var tls = TlsTestSupport.PemOptions(_ca.IssueServer(), _ca) with { HandshakeTimeoutMs = 2000 };
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(tls, log.Factory);
        var hello = await CaptureClientHelloAsync();
        var random = new Random(7);
        const int Attempts = 120;
        for (var batch = 0; batch < Attempts / 6; batch++)
        {
            await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SendAndCloseAsync(harness.Broker.Port, Mutate(hello, random))));
        }

        // Every attempt has ended: failed (2070) or, for a mutation the handshake survived up to its end, closed by the client.
        await TlsTestSupport.ProduceAsync(harness.ProducerConfig().UseSsl(_ca), "after-fuzz", 2);
        Assert.Equal(2, harness.Store.GetPartition("after-fuzz", 0).HighWatermark);
        Assert.Empty(log.Events(2017));
        Assert.NotEmpty(log.Events(2070));
        await WaitForNoConnectionsAsync(harness);
    }

    /// <summary>One mutation of a real ClientHello: a truncation, flipped bytes, a corrupted length, or random bytes after a TLS record header.</summary>
    private static byte[] Mutate(byte[] hello, Random random)
    {
        var copy = (byte[])hello.Clone();
        switch (random.Next(4))
        {
            case 0:
                return copy[..random.Next(1, copy.Length)];
            case 1:
                for (var i = 0; i < 1 + random.Next(8); i++)
                {
                    copy[random.Next(copy.Length)] ^= (byte)(1 + random.Next(255));
                }

                return copy;
            case 2:
                var at = random.Next(3, Math.Min(copy.Length, 60));
                copy[at] = 0xFF;
                copy[at + 1] = 0xFF;
                return copy;
            default:
                var noise = new byte[5 + random.Next(2000)];
                random.NextBytes(noise);
                noise[0] = 0x16;
                noise[1] = 0x03;
                noise[2] = (byte)random.Next(0, 5);
                return noise;
        }
    }

    private static async Task SendAndCloseAsync(int port, byte[] bytes)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(bytes);
            client.Client.Shutdown(SocketShutdown.Send);
            await IsClosedAsync(stream);
        }
        catch (IOException)
        {
            // The broker closed first.
        }
    }

    /// <summary>The first flight of a real .NET TLS client: a complete ClientHello record.</summary>
    private static async Task<byte[]> CaptureClientHelloAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var server = await listener.AcceptTcpClientAsync();
        var ssl = new SslStream(client.GetStream());
        var handshake = ssl.AuthenticateAsClientAsync("localhost");
        var buffer = new byte[16 * 1024];
        var header = new byte[5];
        await server.GetStream().ReadExactlyAsync(header);
        var length = (header[3] << 8) | header[4];
        header.CopyTo(buffer, 0);
        await server.GetStream().ReadExactlyAsync(buffer.AsMemory(5, length));
        server.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
        await ssl.DisposeAsync();
        return buffer[..(5 + length)];
    }

    /// <summary>Whether the broker closes the connection (EOF or reset) within the wait.</summary>
    private static async Task<bool> IsClosedAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(Wait);
        var buffer = new byte[1024];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
                // An alert record before the close: keep reading.
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitForNoConnectionsAsync(BrokerHarness harness)
    {
        // The good client's producer is disposed by now; its connection closes on the broker's side shortly after.
        var deadline = DateTime.UtcNow + Wait;
        while (harness.Broker.ConnectionCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{harness.Broker.ConnectionCount} connections still open");
            await Task.Delay(20);
        }
    }
}
