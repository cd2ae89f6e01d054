using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Security;
using Freshet.Broker.Security.Authorization;
using Freshet.Broker.Tests.Support;
using static Freshet.Broker.Tests.Security.AclTestBroker;
using AclOperation = Freshet.Broker.Security.Authorization.AclOperation;
using ResourcePattern = Freshet.Broker.Security.Authorization.ResourcePattern;

namespace Freshet.Broker.Tests.Security;

/// <summary>ACLs seen through real Confluent.Kafka producers, consumers, transactions and admin clients.</summary>
public sealed class AclClientTests
{
    private static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Produce_WithoutWrite_FailsWithTopicAuthorizationFailed()
    {
        await using var harness = await StartAsync();
        harness.Store.CreateTopic("orders", 1);
        harness.Grant(Topic("orders", AclOperation.Describe));
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(harness.ProducerConfig(c => c.MessageTimeoutMs = 5_000)).Build();

        var e = await Assert.ThrowsAsync<ProduceException<byte[]?, byte[]?>>(() => producer.ProduceAsync("orders", new Message<byte[]?, byte[]?> { Value = Bytes("v") }));

        Assert.Equal(ErrorCode.TopicAuthorizationFailed, e.Error.Code);
    }

    [Fact]
    public async Task ProduceAndConsume_WithWriteReadAndGroupRead_Work()
    {
        await using var harness = await StartAsync();
        harness.Store.CreateTopic("orders", 1);
        harness.Grant(Topic("orders", AclOperation.Write, ThisHost), Topic("orders", AclOperation.Read), Group("readers", AclOperation.Read));
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(harness.ProducerConfig()).Build())
        {
            var delivered = await producer.ProduceAsync("orders", new Message<byte[]?, byte[]?> { Value = Bytes("v") });
            Assert.Equal(0, delivered.Offset.Value);
        }

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(harness.ConsumerConfig(c => c.GroupId = "readers")).Build();
        consumer.Subscribe("orders");
        ConsumeResult<byte[]?, byte[]?>? result = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (result is null && DateTime.UtcNow < deadline)
        {
            result = consumer.Consume(TimeSpan.FromMilliseconds(200));
        }

        Assert.NotNull(result);
        consumer.Commit(result);
        Assert.Equal(1, consumer.Committed([new TopicPartition("orders", 0)], TimeSpan.FromSeconds(10))[0].Offset.Value);
        consumer.Close();
    }

    [Fact]
    public async Task Produce_WriteAllowedOnlyFromAnotherHost_Fails()
    {
        await using var harness = await StartAsync();
        harness.Store.CreateTopic("orders", 1);
        harness.Grant(Topic("orders", AclOperation.Write, OtherHost));
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(harness.ProducerConfig(c => c.MessageTimeoutMs = 5_000)).Build();

        var e = await Assert.ThrowsAsync<ProduceException<byte[]?, byte[]?>>(() => producer.ProduceAsync("orders", new Message<byte[]?, byte[]?> { Value = Bytes("v") }));

        Assert.Equal(ErrorCode.TopicAuthorizationFailed, e.Error.Code);
    }

    [Fact]
    public async Task InitTransactions_WithoutWriteOnTransactionalId_FailsWithTransactionalIdAuthorizationFailed()
    {
        await using var harness = await StartAsync();
        harness.Store.CreateTopic("orders", 1);
        harness.Grant(Topic("orders", AclOperation.Write), TransactionalId("other", AclOperation.Write));
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(harness.ProducerConfig(c => c.TransactionalId = "tx-1")).Build();

        var e = Assert.ThrowsAny<KafkaException>(() => producer.InitTransactions(TimeSpan.FromSeconds(20)));

        Assert.Equal(ErrorCode.TransactionalIdAuthorizationFailed, e.Error.Code);
    }

    [Fact]
    public async Task Transaction_WithWriteOnTransactionalIdAndTopic_Commits()
    {
        await using var harness = await StartAsync();
        harness.Store.CreateTopic("orders", 1);
        harness.Grant(Topic("orders", AclOperation.Write), Topic("orders", AclOperation.Read), TransactionalId("tx-", AclOperation.Write) with { Pattern = new ResourcePattern(AclResourceType.TransactionalId, "tx-", AclPatternType.Prefixed) });
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(harness.ProducerConfig(c => c.TransactionalId = "tx-1")).Build();

        producer.InitTransactions(TimeSpan.FromSeconds(20));
        producer.BeginTransaction();
        await producer.ProduceAsync("orders", new Message<byte[]?, byte[]?> { Value = Bytes("v") });
        producer.CommitTransaction(TimeSpan.FromSeconds(20));

        // The harness's consumer names a throwaway group, whose coordinator librdkafka looks up even without subscribing.
        harness.Grant(Allow(AclResourceType.Group, "unused-", AclOperation.Describe, pattern: AclPatternType.Prefixed));
        Assert.Single(harness.ConsumeFromBeginning("orders", 1, configure: c => c.IsolationLevel = IsolationLevel.ReadCommitted));
    }

    [Fact]
    public async Task CreateTopics_NeedsCreateOnClusterOrTopic()
    {
        await using var harness = await StartAsync();
        harness.Grant(Allow(AclResourceType.Topic, "team-", AclOperation.Create, pattern: AclPatternType.Prefixed));
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();

        var e = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync([new TopicSpecification { Name = "other", NumPartitions = 1 }]));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, e.Results[0].Error.Code);

        await admin.CreateTopicsAsync([new TopicSpecification { Name = "team-a", NumPartitions = 1 }]);
        harness.Grant(ClusterAcl(AclOperation.Create));
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "other", NumPartitions = 1 }]);

        Assert.Contains("team-a", harness.Store.ListTopics());
        Assert.Contains("other", harness.Store.ListTopics());
    }

    [Fact]
    public async Task DeleteTopicsAndCreatePartitions_NeedDeleteAndAlter()
    {
        await using var harness = await StartAsync();
        harness.Store.CreateTopic("orders", 1);
        harness.Grant(Topic("orders", AclOperation.Describe));
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();

        var delete = await Assert.ThrowsAsync<DeleteTopicsException>(() => admin.DeleteTopicsAsync(["orders"]));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, delete.Results[0].Error.Code);
        var grow = await Assert.ThrowsAsync<CreatePartitionsException>(() => admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "orders", IncreaseTo = 2 }]));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, grow.Results[0].Error.Code);

        harness.Grant(Topic("orders", AclOperation.Alter), Topic("orders", AclOperation.Delete));
        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "orders", IncreaseTo = 2 }]);
        await admin.DeleteTopicsAsync(["orders"]);

        Assert.DoesNotContain("orders", harness.Store.ListTopics());
    }

    [Fact]
    public async Task DescribeAndAlterConfigs_NeedDescribeConfigsAndAlterConfigs()
    {
        await using var harness = await StartAsync();
        harness.Store.CreateTopic("orders", 1);
        harness.Grant(Topic("orders", AclOperation.DescribeConfigs));
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        var topic = new ConfigResource { Type = ResourceType.Topic, Name = "orders" };

        var described = await admin.DescribeConfigsAsync([topic]);
        Assert.NotEmpty(described[0].Entries);
        var broker = await Assert.ThrowsAsync<DescribeConfigsException>(() => admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "1" }]));
        Assert.Equal(ErrorCode.ClusterAuthorizationFailed, broker.Results[0].Error.Code);
        var alter = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() => admin.IncrementalAlterConfigsAsync(
            new Dictionary<ConfigResource, List<ConfigEntry>> { [topic] = [new ConfigEntry { Name = "retention.ms", Value = "1000", IncrementalOperation = AlterConfigOpType.Set }] }));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, alter.Results[0].Error.Code);

        harness.Grant(Topic("orders", AclOperation.AlterConfigs));
        await admin.IncrementalAlterConfigsAsync(
            new Dictionary<ConfigResource, List<ConfigEntry>> { [topic] = [new ConfigEntry { Name = "retention.ms", Value = "1000", IncrementalOperation = AlterConfigOpType.Set }] });
    }

    [Fact]
    public async Task DescribeCluster_NeedsDescribeOnCluster_AndReportsAuthorizedOperations()
    {
        await using var harness = await StartAsync();
        using var raw = await RawKafkaClient.ConnectAsync(harness.Broker);
        var request = new Freshet.Kafka.Protocol.Messages.DescribeClusterRequest { IncludeClusterAuthorizedOperations = true };

        var denied = await raw.RoundTripAsync<Freshet.Kafka.Protocol.Messages.DescribeClusterRequest, Freshet.Kafka.Protocol.Messages.DescribeClusterResponse>(request, 1);
        Assert.Equal(31, denied.ErrorCode);

        harness.Grant(ClusterAcl(AclOperation.Describe), ClusterAcl(AclOperation.IdempotentWrite));
        var allowed = await raw.RoundTripAsync<Freshet.Kafka.Protocol.Messages.DescribeClusterRequest, Freshet.Kafka.Protocol.Messages.DescribeClusterResponse>(request, 1);
        Assert.Equal(0, allowed.ErrorCode);
        Assert.Equal((1 << (int)AclOperation.Describe) | (1 << (int)AclOperation.IdempotentWrite), allowed.ClusterAuthorizedOperations);

        // librdkafka's DescribeCluster is a Metadata request, whose cluster operations come from the same authorizer.
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        var cluster = await admin.DescribeClusterAsync(new DescribeClusterOptions { IncludeAuthorizedOperations = true });
        Assert.Equal([Confluent.Kafka.Admin.AclOperation.Describe, Confluent.Kafka.Admin.AclOperation.IdempotentWrite], cluster.AuthorizedOperations.Order());
    }

    [Fact]
    public async Task ListAndDescribeGroups_ShowOnlyDescribableGroups()
    {
        await using var harness = await StartAsync();
        harness.Store.GroupOffsets.Commit("visible", "t", 0, 1);
        harness.Store.GroupOffsets.Commit("hidden", "t", 0, 1);
        harness.Grant(Group("visible", AclOperation.Describe));
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();

        var listed = await admin.ListConsumerGroupsAsync();
        Assert.Equal(["visible"], listed.Valid.Select(g => g.GroupId));

        var described = await Assert.ThrowsAsync<DescribeConsumerGroupsException>(() => admin.DescribeConsumerGroupsAsync(["hidden"]));
        Assert.Equal(ErrorCode.GroupAuthorizationFailed, described.Results.ConsumerGroupDescriptions[0].Error.Code);

        var delete = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["visible"]));
        Assert.Equal(ErrorCode.GroupAuthorizationFailed, delete.Results[0].Error.Code);
    }

    [Fact]
    public async Task Metadata_ListsOnlyDescribableTopics_AndCreatesOnlyWithCreate()
    {
        await using var harness = await StartAsync();
        harness.Store.CreateTopic("visible", 1);
        harness.Store.CreateTopic("hidden", 1);
        harness.Grant(Topic("visible", AclOperation.Read), Topic("new-", AclOperation.Describe) with { Pattern = new ResourcePattern(AclResourceType.Topic, "new-", AclPatternType.Prefixed) });
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();

        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        Assert.Equal(["visible"], metadata.Topics.Select(t => t.Topic));

        using var raw = await RawKafkaClient.ConnectAsync(harness.Broker);
        var request = Requests.Metadata("hidden", "missing", "new-one");
        request.AllowAutoTopicCreation = true;
        var named = await raw.RoundTripAsync<Freshet.Kafka.Protocol.Messages.MetadataRequest, Freshet.Kafka.Protocol.Messages.MetadataResponse>(request, 12);
        Assert.All(named.Topics, t => Assert.Equal(29, t.ErrorCode));
        Assert.DoesNotContain("new-one", harness.Store.ListTopics());

        harness.Grant(Allow(AclResourceType.Topic, "new-", AclOperation.Create, pattern: AclPatternType.Prefixed));
        var created = await raw.RoundTripAsync<Freshet.Kafka.Protocol.Messages.MetadataRequest, Freshet.Kafka.Protocol.Messages.MetadataResponse>(request, 12);
        Assert.Equal(29, created.Topics[0].ErrorCode);
        Assert.Equal(0, created.Topics[2].ErrorCode);
        Assert.Contains("new-one", harness.Store.ListTopics());
    }

    [Fact]
    public async Task SuperUser_DeniedAcls_StillProduces()
    {
        await using var harness = await StartAsync(new AuthorizationOptions { SuperUsers = [KafkaPrincipal.Anonymous] });
        harness.Store.CreateTopic("orders", 1);
        harness.Grant(Deny(AclResourceType.Topic, "*", AclOperation.All));
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(harness.ProducerConfig()).Build();

        var delivered = await producer.ProduceAsync("orders", new Message<byte[]?, byte[]?> { Value = Bytes("v") });

        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
    }

    [Fact]
    public async Task AllowEveryoneIfNoAclFound_TopicWithoutAcls_Produces_TopicWithDeny_DoesNot()
    {
        await using var harness = await StartAsync(new AuthorizationOptions { AllowEveryoneIfNoAclFound = true });
        harness.Store.CreateTopic("open", 1);
        harness.Store.CreateTopic("closed", 1);
        harness.Grant(Deny(AclResourceType.Topic, "closed", AclOperation.Write));
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(harness.ProducerConfig(c => c.MessageTimeoutMs = 5_000)).Build();

        await producer.ProduceAsync("open", new Message<byte[]?, byte[]?> { Value = Bytes("v") });
        var e = await Assert.ThrowsAsync<ProduceException<byte[]?, byte[]?>>(() => producer.ProduceAsync("closed", new Message<byte[]?, byte[]?> { Value = Bytes("v") }));

        Assert.Equal(ErrorCode.TopicAuthorizationFailed, e.Error.Code);
    }
}
