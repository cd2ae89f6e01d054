using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Confluent.Kafka;
using Freshet.Broker;
using Freshet.Broker.Security;
using Freshet.Broker.Security.Sasl;
using Freshet.Log;
using Freshet.Shared;
using Freshet.Streaming.Application.Membership.Security;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Functions;
using Serializers = Freshet.Streaming.Serialization.Serializers;
using Freshet.Streaming.State;
using Freshet.Streaming.Tests.Application.Membership;

namespace Freshet.Streaming.Tests.Application.Security;

/// <summary>
/// A job in application mode against a broker that serves only SASL_SSL (SCRAM-SHA-512, a CA made here): its group
/// member, sources, sinks, changelogs and repartition topics all authenticate with the same client properties.
/// </summary>
public sealed class SecureApplicationTests : IAsyncLifetime
{
    private const string Password = "app-secret";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "freshet-secure-app", Guid.NewGuid().ToString("N"));
    private LogStore _store = null!;
    private KafkaBroker _broker = null!;
    private string _caPath = "";

    public async Task InitializeAsync()
    {
        KafkaNativeLibrary.EnsureLoaded();
        Directory.CreateDirectory(_root);
        _caPath = WriteTestCertificates(_root);
        _store = LogStore.Open(Path.Combine(_root, "data"), new LogStoreOptions { BackgroundMaintenance = false });
        new ScramCredentialStore(_store.Directory).SetPassword("app", "SCRAM-SHA-512", Password);
        _broker = await KafkaBroker.StartAsync(_store, new BrokerOptions
        {
            Listeners = [new BrokerListener("SASL_SSL", Freshet.Broker.Security.SecurityProtocol.SaslSsl, "127.0.0.1", 0)],
            Tls = new TlsOptions { KeystoreType = TlsStoreType.Pem, KeystoreLocation = Path.Combine(_root, "server.pem"), KeyLocation = Path.Combine(_root, "server.key") },
            AutoCreateTopics = false,
        });
        _store.CreateTopic("in", 2);
        _store.CreateTopic("out", 1);
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _store.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private Dictionary<string, string> ClientProperties(string password = Password) => new()
    {
        ["security.protocol"] = "SASL_SSL",
        ["sasl.mechanism"] = "SCRAM-SHA-512",
        ["sasl.username"] = "app",
        ["sasl.password"] = password,
        ["ssl.ca.location"] = _caPath,
    };

    [Fact]
    public async Task ApplicationMode_OverSaslSsl_CountsEveryRecordOnce()
    {
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig(ClientProperties()) { BootstrapServers = _broker.BootstrapAddress }).Build())
        {
            for (var i = 0; i < 200; i++)
            {
                await producer.ProduceAsync(new TopicPartition("in", i % 2), new Message<string, string> { Key = "k" + (i % 5), Value = "k" + (i % 5) });
            }
        }

        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Application = new ApplicationOptions
            {
                ApplicationId = "secure-app",
                BootstrapServers = _broker.BootstrapAddress,
                SessionTimeout = TimeSpan.FromSeconds(10),
                HeartbeatInterval = TimeSpan.FromMilliseconds(500),
                StateDirectory = Path.Combine(_root, "state"),
                ClientProperties = ClientProperties(),
            },
        });
        env.FromKafka(new KafkaSourceOptions { BootstrapServers = _broker.BootstrapAddress, Topic = "in", Properties = ClientProperties() }, Serializers.Utf8String).Uid("in")
            .KeyBy(static key => key)
            .Process(new CountPerKey()).Uid("counts")
            .SinkToKafka(new KafkaSinkOptions { BootstrapServers = _broker.BootstrapAddress, Topic = "out", Properties = ClientProperties() }, Serializers.Utf8String).Uid("out");
        var job = await env.ExecuteAsync("secure-app");
        try
        {
            var finals = new Dictionary<string, long>();
            using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig(ClientProperties())
            {
                BootstrapServers = _broker.BootstrapAddress,
                GroupId = "check",
                AutoOffsetReset = AutoOffsetReset.Earliest,
                IsolationLevel = IsolationLevel.ReadCommitted,
            }).Build();
            consumer.Subscribe("out");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (!(finals.Count == 5 && finals.Values.All(static n => n == 40)) && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
                {
                    var parts = result.Message.Value.Split('=');
                    finals[parts[0]] = long.Parse(parts[1], CultureInfo.InvariantCulture);
                }
            }

            Assert.Equal(Enumerable.Range(0, 5).ToDictionary(static k => "k" + k, static _ => 40L), finals);
            Assert.Equal(Jobs.JobStatus.Running, job.Status);
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task ApplicationMode_WithAWrongPassword_FailsNamingTheRefusal()
    {
        var member = new Streaming.Application.Membership.GroupMember(
            new Streaming.Application.Membership.GroupMemberOptions
            {
                GroupId = "refused",
                BootstrapServers = _broker.BootstrapAddress,
                Security = ClientSecurity.FromProperties(ClientProperties("wrong")),
            },
            new RecordingGroupListener("refused"));

        var refused = await Assert.ThrowsAsync<KafkaAuthenticationException>(() => member.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("SCRAM-SHA-512", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A running count per key, written as <c>key=count</c>.</summary>
    private sealed class CountPerKey : KeyedProcessFunction<string, string, string>
    {
        private ValueState<long> _count = null!;

        public override void Open(RuntimeContext context) => _count = context.GetState(new ValueStateDescriptor<long>("count"));

        public override void ProcessElement(string value, KeyedProcessContext<string> context, Collector<string> output)
        {
            var count = _count.Value + 1;
            _count.Update(count);
            output.Collect(context.CurrentKey + "=" + count.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Writes a CA (returned: the path of its PEM certificate) and a server certificate for 127.0.0.1 signed by it.</summary>
    private static string WriteTestCertificates(string directory)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Freshet test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));

        File.WriteAllText(Path.Combine(directory, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "server.pem"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
        return Path.Combine(directory, "ca.pem");
    }
}
