using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Security;

namespace Freshet.Broker.Tests.Security;

/// <summary>
/// Real librdkafka clients (Confluent.Kafka) over TLS to a broker with an SSL listener whose certificate comes from a CA
/// made in the test: produce and consume, a consumer group, transactions, and the admin client.
/// </summary>
public sealed class SslClientTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TestCertificateAuthority _ca = new();

    public void Dispose() => _ca.Dispose();

    [Fact]
    public async Task ProduceAndConsume_OverSsl_RoundTripsEveryRecord()
    {
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(TlsTestSupport.PemOptions(_ca.IssueServer(), _ca));
        await TlsTestSupport.ProduceAsync(harness.ProducerConfig().UseSsl(_ca), "tls-orders", 50);

        var consumed = harness.ConsumeFromBeginning("tls-orders", 50, configure: c => c.UseSsl(_ca));

        Assert.Equal(Enumerable.Range(0, 50).Select(i => "m" + i), consumed.Select(r => Encoding.UTF8.GetString(r.Message.Value!)));
        Assert.Equal(50, harness.Store.GetPartition("tls-orders", 0).HighWatermark);
    }

    [Fact]
    public async Task ConsumerGroup_OverSsl_JoinsConsumesAndCommits()
    {
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(TlsTestSupport.PemOptions(_ca.IssueServer(), _ca));
        harness.Store.CreateTopic("tls-group", 2);
        await TlsTestSupport.ProduceAsync(harness.ProducerConfig().UseSsl(_ca), "tls-group", 20);

        using var consumer = new ConsumerBuilder<string, string>(harness.ConsumerConfig(c =>
        {
            c.GroupId = "tls-readers";
            c.UseSsl(_ca);
        })).Build();
        consumer.Subscribe("tls-group");
        var values = new List<string>();
        var deadline = DateTime.UtcNow + Timeout;
        while (values.Count < 20 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                values.Add(result.Message.Value);
                consumer.StoreOffset(result);
            }
        }

        consumer.Commit();
        var committed = consumer.Committed(Timeout);
        consumer.Close();

        Assert.Equal(20, values.Count);
        Assert.Equal(20, committed.Sum(c => c.Offset.Value));
        Assert.Contains(harness.Broker.DescribeGroups(), g => g.GroupId == "tls-readers");
    }

    [Fact]
    public async Task Transactions_OverSsl_ReadCommittedSeesOnlyTheCommittedOnes()
    {
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(TlsTestSupport.PemOptions(_ca.IssueServer(), _ca));
        harness.Store.CreateTopic("tls-txn", 1);
        using (var producer = new ProducerBuilder<string, string>(harness.ProducerConfig(c =>
        {
            c.TransactionalId = "tls-txn-producer";
            c.UseSsl(_ca);
        })).Build())
        {
            producer.InitTransactions(Timeout);
            producer.BeginTransaction();
            producer.Produce("tls-txn", new Message<string, string> { Key = "a", Value = "committed" });
            producer.CommitTransaction(Timeout);
            producer.BeginTransaction();
            producer.Produce("tls-txn", new Message<string, string> { Key = "b", Value = "aborted" });
            producer.AbortTransaction(Timeout);
        }

        var committed = harness.ConsumeFromBeginning("tls-txn", 2, timeout: TimeSpan.FromSeconds(5), configure: c =>
        {
            c.IsolationLevel = IsolationLevel.ReadCommitted;
            c.UseSsl(_ca);
        });

        Assert.Equal(["committed"], committed.Select(r => Encoding.UTF8.GetString(r.Message.Value!)));
    }

    [Fact]
    public async Task AdminClient_OverSsl_CreatesAndDescribesTopics()
    {
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(TlsTestSupport.PemOptions(_ca.IssueServer(), _ca));
        using var admin = new AdminClientBuilder(harness.AdminConfig().UseSsl(_ca)).Build();

        await admin.CreateTopicsAsync([new TopicSpecification { Name = "tls-admin", NumPartitions = 3, ReplicationFactor = 1 }]);
        var described = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["tls-admin"]));
        var metadata = admin.GetMetadata(Timeout);

        Assert.Equal(3, Assert.Single(described.TopicDescriptions).Partitions.Count);
        var broker = Assert.Single(metadata.Brokers);
        Assert.Equal(("127.0.0.1", harness.Broker.Port), (broker.Host, broker.Port));
    }

    [Fact]
    public async Task Pkcs12Keystore_WithPassword_ServesTheCertificate()
    {
        var server = _ca.IssueServer("pkcs12-broker");
        var tls = new TlsOptions { KeystoreLocation = server.Pkcs12Path, KeystoreType = TlsStoreType.Pkcs12, KeystorePassword = server.Pkcs12Password };
        await using var harness = await TlsTestSupport.StartSslBrokerAsync(tls);

        using var presented = await TlsTestSupport.ServerCertificateAsync(harness.Broker.Port);
        await TlsTestSupport.ProduceAsync(harness.ProducerConfig().UseSsl(_ca), "tls-p12", 3);

        Assert.Equal("CN=pkcs12-broker, O=Freshet Tests", presented.Subject);
        Assert.Equal(3, harness.Store.GetPartition("tls-p12", 0).HighWatermark);
    }
}
