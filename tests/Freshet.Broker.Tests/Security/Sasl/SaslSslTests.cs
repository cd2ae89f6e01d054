using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Security;
using Freshet.Broker.Security.Sasl;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests.Security.Sasl;

/// <summary>
/// Confluent.Kafka over SASL_SSL (TLS with a CA made in the test, then SCRAM) as a production cluster is configured:
/// the AdminClient, a transactional producer and a consumer group, for each SCRAM mechanism.
/// </summary>
public sealed class SaslSslTests
{
    [Theory]
    [InlineData(SaslMechanisms.ScramSha256)]
    [InlineData(SaslMechanisms.ScramSha512)]
    public async Task AdminTransactionsAndGroups_OverSaslSsl_Work(string mechanism)
    {
        using var ca = new TestCertificateAuthority();
        var server = ca.IssueServer();
        await using var harness = await BrokerHarness.StartAsync(new BrokerOptions
        {
            Listeners = [new BrokerListener("SASL_SSL", Freshet.Broker.Security.SecurityProtocol.SaslSsl, "127.0.0.1", 0)],
            Tls = TlsTestSupport.PemOptions(server, ca),
        });
        SaslBroker.AddUser(harness, "alice", "alice-secret");
        T Secure<T>(T config)
            where T : ClientConfig
        {
            config.BootstrapServers = harness.BootstrapServers;
            config.SecurityProtocol = Confluent.Kafka.SecurityProtocol.SaslSsl;
            config.SslCaLocation = ca.CaPath;
            config.SaslMechanism = mechanism == SaslMechanisms.ScramSha256 ? SaslMechanism.ScramSha256 : SaslMechanism.ScramSha512;
            config.SaslUsername = "alice";
            config.SaslPassword = "alice-secret";
            return config;
        }

        using (var admin = new AdminClientBuilder(Secure(harness.AdminConfig())).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = "secure", NumPartitions = 2, ReplicationFactor = 1 }]);
            var described = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["secure"]));
            Assert.Equal(2, described.TopicDescriptions.Single().Partitions.Count);
        }

        using (var producer = new ProducerBuilder<string, string>(Secure(harness.ProducerConfig(c => c.TransactionalId = "secure-tx"))).Build())
        {
            producer.InitTransactions(TimeSpan.FromSeconds(30));
            producer.BeginTransaction();
            for (var i = 0; i < 10; i++)
            {
                producer.Produce("secure", new Message<string, string> { Key = "k" + i, Value = "v" + i });
            }

            producer.CommitTransaction(TimeSpan.FromSeconds(30));
        }

        using var consumer = new ConsumerBuilder<string, string>(Secure(harness.ConsumerConfig(c =>
        {
            c.GroupId = "secure-group";
            c.IsolationLevel = IsolationLevel.ReadCommitted;
            c.AutoOffsetReset = AutoOffsetReset.Earliest;
        }))).Build();
        consumer.Subscribe("secure");
        var values = new List<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (values.Count < 10 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                values.Add(result.Message.Value);
                consumer.Commit(result);
            }
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(static i => "v" + i).Order(StringComparer.Ordinal), values.Order(StringComparer.Ordinal));
        var group = Assert.Single(harness.Broker.DescribeGroups(), static g => g.GroupId == "secure-group");
        Assert.NotEmpty(group.Offsets);
    }
}
