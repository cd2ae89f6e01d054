using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests.Security.Sasl;

/// <summary>
/// Confluent.Kafka (librdkafka) clients on a SASL_PLAINTEXT listener with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512: producing,
/// consuming in a group, transactions and the admin client, and refused credentials that leave the broker and other
/// clients undisturbed.
/// </summary>
public sealed class SaslClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-512")]
    public async Task ProduceAndConsumeInGroup_Authenticated_DeliversAndCommits(string mechanism)
    {
        await using var harness = await SaslBroker.StartAsync();
        SaslBroker.AddUser(harness, "alice", "alice-secret");
        var topic = "sasl-" + mechanism.ToLowerInvariant();
        harness.Store.CreateTopic(topic, 2);

        using (var producer = new ProducerBuilder<string, string>(SaslBroker.Authenticate(harness, harness.ProducerConfig(), mechanism, "alice", "alice-secret")).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(topic, new Message<string, string> { Key = "k" + i, Value = "v" + i });
            }
        }

        var config = SaslBroker.Authenticate(harness, harness.ConsumerConfig(c => c.GroupId = "group-" + topic), mechanism, "alice", "alice-secret");
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(topic);
        var values = new List<string>();
        var deadline = DateTime.UtcNow + Timeout;
        while (values.Count < 10 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                values.Add(result.Message.Value);
                consumer.StoreOffset(result);
            }
        }

        consumer.Commit();
        var committed = consumer.Committed(consumer.Assignment, Timeout);
        consumer.Close();

        Assert.Equal(Enumerable.Range(0, 10).Select(i => "v" + i).Order(StringComparer.Ordinal), values.Order(StringComparer.Ordinal));
        Assert.Equal(10, committed.Sum(c => c.Offset.Value));
        Assert.True(harness.Broker.Sasl.Authentications >= 2);
        Assert.Equal(0, harness.Broker.Sasl.Failures);
    }

    [Fact]
    public async Task TransactionalProducer_OverScram512_CommitsForReadCommittedConsumers()
    {
        await using var harness = await SaslBroker.StartAsync();
        SaslBroker.AddUser(harness, "txn-user", "pw");
        harness.Store.CreateTopic("sasl-txn", 1);
        using (var producer = new ProducerBuilder<string, string>(SaslBroker.Authenticate(harness, harness.ProducerConfig(c => c.TransactionalId = "sasl-txn-id"), "SCRAM-SHA-512", "txn-user", "pw")).Build())
        {
            producer.InitTransactions(Timeout);
            producer.BeginTransaction();
            producer.Produce("sasl-txn", new Message<string, string> { Key = "a", Value = "aborted" });
            producer.AbortTransaction(Timeout);
            producer.BeginTransaction();
            producer.Produce("sasl-txn", new Message<string, string> { Key = "c", Value = "committed" });
            producer.CommitTransaction(Timeout);
        }

        var results = harness.ConsumeFromBeginning("sasl-txn", 1, timeout: TimeSpan.FromSeconds(5), configure: c =>
        {
            SaslBroker.Authenticate(harness, c, "SCRAM-SHA-512", "txn-user", "pw");
            c.IsolationLevel = IsolationLevel.ReadCommitted;
        });
        Assert.Equal(["committed"], results.Select(r => Encoding.UTF8.GetString(r.Message.Value!)));
    }

    [Fact]
    public async Task AdminClient_AltersAndDescribesScramCredentials_NewUserLogsInAndDeletedUserCannot()
    {
        await using var harness = await SaslBroker.StartAsync();
        SaslBroker.AddUser(harness, "admin", "admin-pw");
        using var admin = new AdminClientBuilder(SaslBroker.Authenticate(harness, harness.AdminConfig(), "SCRAM-SHA-256", "admin", "admin-pw")).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "sasl-admin", NumPartitions = 1, ReplicationFactor = 1 }]);

        await admin.AlterUserScramCredentialsAsync(
        [
            new UserScramCredentialUpsertion { User = "dave", ScramCredentialInfo = new ScramCredentialInfo { Mechanism = ScramMechanism.ScramSha512, Iterations = 8192 }, Password = Encoding.UTF8.GetBytes("dave-pw") },
        ]);
        var described = await admin.DescribeUserScramCredentialsAsync(["dave", "admin"]);
        var dave = described.UserScramCredentialsDescriptions.Single(d => d.User == "dave");
        Assert.Equal(ErrorCode.NoError, dave.Error.Code);
        Assert.Equal((ScramMechanism.ScramSha512, 8192), (dave.ScramCredentialInfos.Single().Mechanism, dave.ScramCredentialInfos.Single().Iterations));
        Assert.Equal(2, described.UserScramCredentialsDescriptions.Single(d => d.User == "admin").ScramCredentialInfos.Count);

        var missing = await Assert.ThrowsAsync<DescribeUserScramCredentialsException>(() => admin.DescribeUserScramCredentialsAsync(["nobody"]));
        Assert.Equal(ErrorCode.ResourceNotFound, missing.Results.UserScramCredentialsDescriptions.Single().Error.Code);

        // Dave authenticates with the password the admin client salted; PLAIN checks it against the same credential.
        foreach (var mechanism in new[] { "SCRAM-SHA-512", "PLAIN" })
        {
            using var producer = new ProducerBuilder<Null, string>(SaslBroker.Authenticate(harness, harness.ProducerConfig(), mechanism, "dave", "dave-pw")).Build();
            var delivered = await producer.ProduceAsync("sasl-admin", new Message<Null, string> { Value = "from dave" });
            Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        }

        await admin.AlterUserScramCredentialsAsync([new UserScramCredentialDeletion { User = "dave", Mechanism = ScramMechanism.ScramSha512 }]);
        var refused = await Assert.ThrowsAsync<AlterUserScramCredentialsException>(() =>
            admin.AlterUserScramCredentialsAsync([new UserScramCredentialDeletion { User = "dave", Mechanism = ScramMechanism.ScramSha512 }]));
        Assert.Equal(ErrorCode.ResourceNotFound, refused.Results.Single().Error.Code);
        Assert.Equal(ErrorCode.Local_Authentication, FirstError(harness, "SCRAM-SHA-512", "dave", "dave-pw").Code);
    }

    [Theory]
    [InlineData("PLAIN", "alice", "wrong", "Authentication failed: Invalid username or password")]
    [InlineData("PLAIN", "nobody", "alice-secret", "Authentication failed: Invalid username or password")]
    [InlineData("SCRAM-SHA-256", "alice", "wrong", "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-512", "nobody", "alice-secret", "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512")]
    public async Task BadCredentials_AreRefused_WhileAGoodClientKeepsProducing(string mechanism, string user, string password, string message)
    {
        await using var harness = await SaslBroker.StartAsync();
        SaslBroker.AddUser(harness, "alice", "alice-secret");
        harness.Store.CreateTopic("sasl-good", 1);
        using var good = new ProducerBuilder<Null, string>(SaslBroker.Authenticate(harness, harness.ProducerConfig(), "SCRAM-SHA-256", "alice", "alice-secret")).Build();
        await good.ProduceAsync("sasl-good", new Message<Null, string> { Value = "before" });

        var error = FirstError(harness, mechanism, user, password);
        Assert.Equal(ErrorCode.Local_Authentication, error.Code);
        Assert.Contains(message, error.Reason, StringComparison.Ordinal);

        var delivered = await good.ProduceAsync("sasl-good", new Message<Null, string> { Value = "after" });
        Assert.Equal(1, delivered.Offset.Value);
        Assert.True(harness.Broker.Sasl.Failures >= 1);
    }

    [Fact]
    public async Task MechanismNotEnabled_IsRefused()
    {
        await using var harness = await SaslBroker.StartAsync(mechanisms: ["SCRAM-SHA-512"]);
        SaslBroker.AddUser(harness, "alice", "alice-secret");
        var error = FirstError(harness, "SCRAM-SHA-256", "alice", "alice-secret");
        Assert.Equal(ErrorCode.Local_Authentication, error.Code);
        Assert.Contains("SCRAM-SHA-512", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_SurviveARestart()
    {
        await using var harness = await SaslBroker.StartAsync();
        SaslBroker.AddUser(harness, "admin", "admin-pw");
        using (var admin = new AdminClientBuilder(SaslBroker.Authenticate(harness, harness.AdminConfig(), "SCRAM-SHA-256", "admin", "admin-pw")).Build())
        {
            await admin.AlterUserScramCredentialsAsync(
            [
                new UserScramCredentialUpsertion { User = "erin", ScramCredentialInfo = new ScramCredentialInfo { Mechanism = ScramMechanism.ScramSha256, Iterations = 4096 }, Password = Encoding.UTF8.GetBytes("erin-pw") },
            ]);
        }

        await harness.RestartAsync();

        using var producer = new ProducerBuilder<Null, string>(SaslBroker.Authenticate(harness, harness.ProducerConfig(), "SCRAM-SHA-256", "erin", "erin-pw")).Build();
        var delivered = await producer.ProduceAsync("sasl-restart", new Message<Null, string> { Value = "after restart" });
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
    }

    [Fact]
    public async Task ProducerAcrossReauthenticationPeriods_DeliversEverythingWithoutErrors()
    {
        await using var harness = await SaslBroker.StartAsync(reauthMs: 1500);
        SaslBroker.AddUser(harness, "alice", "alice-secret");
        harness.Store.CreateTopic("sasl-reauth", 1);
        var errors = new ConcurrentQueue<Error>();
        using var producer = new ProducerBuilder<Null, string>(SaslBroker.Authenticate(harness, harness.ProducerConfig(), "SCRAM-SHA-256", "alice", "alice-secret"))
            .SetErrorHandler((_, e) => errors.Enqueue(e))
            .Build();

        // Keep producing until the broker has seen several re-authentications, i.e. across several session lifetimes.
        var sent = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((harness.Broker.Sasl.Reauthentications < 3 || sent < 20) && DateTime.UtcNow < deadline)
        {
            var delivered = await producer.ProduceAsync("sasl-reauth", new Message<Null, string> { Value = "m" + sent });
            Assert.Equal(sent, delivered.Offset.Value);
            sent++;
            await Task.Delay(100);
        }

        Assert.True(harness.Broker.Sasl.Reauthentications >= 3, $"{harness.Broker.Sasl.Reauthentications} re-authentications after {sent} messages");
        Assert.Empty(errors);
        Assert.Equal(0, harness.Broker.Sasl.Failures);
        Assert.Equal(sent, harness.ConsumeFromBeginning("sasl-reauth", sent, configure: c => SaslBroker.Authenticate(harness, c, "SCRAM-SHA-512", "alice", "alice-secret")).Count);
    }

    /// <summary>The first error a producer with these credentials reports (librdkafka reports authentication failures through the error handler).</summary>
    private static Error FirstError(BrokerHarness harness, string mechanism, string user, string password)
    {
        var errors = new BlockingCollection<Error>();
        using var producer = new ProducerBuilder<Null, string>(SaslBroker.Authenticate(harness, harness.ProducerConfig(), mechanism, user, password))
            .SetErrorHandler((_, e) => errors.Add(e))
            .Build();
        producer.Produce("sasl-never", new Message<Null, string> { Value = "x" });
        Assert.True(errors.TryTake(out var error, Timeout), "no error reported");
        return error!;
    }
}
