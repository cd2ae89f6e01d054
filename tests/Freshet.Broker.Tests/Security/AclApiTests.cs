using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Security.Authorization;
using AccessControlEntry = Confluent.Kafka.Admin.AccessControlEntry;
using AclBinding = Confluent.Kafka.Admin.AclBinding;
using AclBindingFilter = Confluent.Kafka.Admin.AclBindingFilter;
using AclPermissionType = Confluent.Kafka.Admin.AclPermissionType;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;
using static Freshet.Broker.Tests.Security.AclTestBroker;
using AclOperation = Freshet.Broker.Security.Authorization.AclOperation;
using KafkaAclOperation = Confluent.Kafka.Admin.AclOperation;
using KafkaResourcePattern = Confluent.Kafka.Admin.ResourcePattern;

namespace Freshet.Broker.Tests.Security;

/// <summary>DescribeAcls, CreateAcls and DeleteAcls through Confluent.Kafka's admin client and raw requests: their own authorization, validation and durability.</summary>
public sealed class AclApiTests
{
    private static AclBinding ReadOrders() => new()
    {
        Pattern = new KafkaResourcePattern { Type = Confluent.Kafka.Admin.ResourceType.Topic, Name = "orders", ResourcePatternType = ResourcePatternType.Literal },
        Entry = new AccessControlEntry { Principal = Principal, Host = "*", Operation = KafkaAclOperation.Read, PermissionType = AclPermissionType.Allow },
    };

    private static AclBindingFilter Everything() => new()
    {
        PatternFilter = new ResourcePatternFilter { Type = Confluent.Kafka.Admin.ResourceType.Any, ResourcePatternType = ResourcePatternType.Any },
        EntryFilter = new AccessControlEntryFilter { Operation = KafkaAclOperation.Any, PermissionType = AclPermissionType.Any },
    };

    [Fact]
    public async Task CreateAcls_AuthorizationOff_SecurityDisabled()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();

        var e = await Assert.ThrowsAsync<CreateAclsException>(() => admin.CreateAclsAsync([ReadOrders()]));

        Assert.Equal(ErrorCode.SecurityDisabled, e.Results[0].Error.Code);
    }

    [Fact]
    public async Task AclApis_WithoutAlterOrDescribeOnCluster_ClusterAuthorizationFailed()
    {
        await using var harness = await StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();

        var create = await Assert.ThrowsAsync<CreateAclsException>(() => admin.CreateAclsAsync([ReadOrders()]));
        using var raw = await RawKafkaClient.ConnectAsync(harness.Broker);
        var describe = await raw.RoundTripAsync<DescribeAclsRequest, DescribeAclsResponse>(new DescribeAclsRequest { ResourceTypeFilter = 1, PatternTypeFilter = 1, Operation = 1, PermissionType = 1 }, 1);
        var delete = await Assert.ThrowsAsync<DeleteAclsException>(() => admin.DeleteAclsAsync([Everything()]));

        Assert.Equal(ErrorCode.ClusterAuthorizationFailed, create.Results[0].Error.Code);
        Assert.Equal(31, describe.ErrorCode);
        Assert.Equal(ErrorCode.ClusterAuthorizationFailed, delete.Results[0].Error.Code);
    }

    [Fact]
    public async Task CreateDescribeDelete_WithAlterOnCluster_ChangeTheAclsInForce()
    {
        await using var harness = await StartAsync();
        harness.Store.CreateTopic("orders", 1);
        harness.Grant(ClusterAcl(AclOperation.Alter));
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        using var raw = await RawKafkaClient.ConnectAsync(harness.Broker);
        var offsets = new ListOffsetsRequest { Topics = [new ListOffsetsTopic { Name = "orders", Partitions = [new ListOffsetsPartition { Timestamp = -1 }] }] };
        Assert.Equal(29, (await raw.RoundTripAsync<ListOffsetsRequest, ListOffsetsResponse>(offsets, 7)).Topics[0].Partitions[0].ErrorCode);

        await admin.CreateAclsAsync([ReadOrders()]);
        var described = await admin.DescribeAclsAsync(new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = Confluent.Kafka.Admin.ResourceType.Topic, Name = "orders", ResourcePatternType = ResourcePatternType.Match },
            EntryFilter = new AccessControlEntryFilter { Operation = KafkaAclOperation.Any, PermissionType = AclPermissionType.Any },
        });

        // ALTER on the cluster implies DESCRIBE, so the same principal may describe.
        Assert.Equal([ReadOrders()], described.AclBindings);
        Assert.Equal(0, (await raw.RoundTripAsync<ListOffsetsRequest, ListOffsetsResponse>(offsets, 7)).Topics[0].Partitions[0].ErrorCode);

        var deleted = await admin.DeleteAclsAsync([new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = Confluent.Kafka.Admin.ResourceType.Topic, ResourcePatternType = ResourcePatternType.Any },
            EntryFilter = new AccessControlEntryFilter { Operation = KafkaAclOperation.Any, PermissionType = AclPermissionType.Any },
        }]);

        Assert.Equal([ReadOrders()], deleted[0].AclBindings);
        Assert.Equal(29, (await raw.RoundTripAsync<ListOffsetsRequest, ListOffsetsResponse>(offsets, 7)).Topics[0].Partitions[0].ErrorCode);
        Assert.Single(AclStore.Open(harness.Directory).Acls);
    }

    [Fact]
    public async Task CreateAcls_InvalidBindings_InvalidRequestEach_ValidOnesCreated()
    {
        await using var harness = await StartAsync();
        harness.Grant(ClusterAcl(AclOperation.Alter));
        using var raw = await RawKafkaClient.ConnectAsync(harness.Broker);
        AclCreation Creation(sbyte type, string name, sbyte pattern, string principal, sbyte operation, sbyte permission) =>
            new() { ResourceType = type, ResourceName = name, ResourcePatternType = pattern, Principal = principal, Host = "*", Operation = operation, PermissionType = permission };

        var response = await raw.RoundTripAsync<CreateAclsRequest, CreateAclsResponse>(new CreateAclsRequest
        {
            Creations =
            [
                Creation(2, "orders", 3, "User:alice", 3, 3),
                Creation(1, "orders", 3, "User:alice", 3, 3),
                Creation(2, "orders", 2, "User:alice", 3, 3),
                Creation(2, "orders", 3, "alice", 3, 3),
                Creation(2, "orders", 3, "User:alice", 1, 3),
                Creation(2, "orders", 3, "User:alice", 3, 1),
                Creation(4, "other-cluster", 3, "User:alice", 7, 3),
                Creation(99, "orders", 3, "User:alice", 3, 3),
            ],
        }, 3);

        Assert.Equal([0, 42, 42, 42, 42, 42, 42, 42], response.Results.Select(r => (int)r.ErrorCode));
        Assert.All(response.Results.Skip(1), r => Assert.False(string.IsNullOrEmpty(r.ErrorMessage)));
        Assert.Equal(2, AclStore.Open(harness.Directory).Acls.Count);
    }

    [Fact]
    public async Task DescribeAcls_UnknownFilterCode_InvalidRequest()
    {
        await using var harness = await StartAsync();
        harness.Grant(ClusterAcl(AclOperation.Describe));
        using var raw = await RawKafkaClient.ConnectAsync(harness.Broker);

        var response = await raw.RoundTripAsync<DescribeAclsRequest, DescribeAclsResponse>(new DescribeAclsRequest { ResourceTypeFilter = 0, PatternTypeFilter = 1, Operation = 1, PermissionType = 1 }, 2);
        var v0 = await raw.RoundTripAsync<DescribeAclsRequest, DescribeAclsResponse>(new DescribeAclsRequest { ResourceTypeFilter = 1, Operation = 1, PermissionType = 1 }, 0);

        Assert.Equal(42, response.ErrorCode);
        Assert.Equal(0, v0.ErrorCode);
        Assert.Equal("kafka-cluster", Assert.Single(v0.Resources).ResourceName);
    }

    [Fact]
    public async Task CreatedAcls_BrokerRestarted_StillInForce()
    {
        await using var harness = await StartAsync();
        harness.Store.CreateTopic("orders", 1);
        harness.Grant(ClusterAcl(AclOperation.Alter));
        using (var admin = new AdminClientBuilder(harness.AdminConfig()).Build())
        {
            await admin.CreateAclsAsync([ReadOrders()]);
        }

        await harness.RestartAsync();

        using var raw = await RawKafkaClient.ConnectAsync(harness.Broker);
        var fetch = await raw.RoundTripAsync<FetchRequest, FetchResponse>(Requests.Fetch("orders", 0), 12);
        var produce = await raw.RoundTripAsync<ProduceRequest, ProduceResponse>(Requests.Produce("orders", Requests.Batch(1)), 9);
        Assert.Equal(0, fetch.Responses[0].Partitions[0].ErrorCode);
        Assert.Equal(29, produce.Responses[0].PartitionResponses[0].ErrorCode);
    }

    [Fact]
    public async Task StartAsync_BrokenAclFile_RefusesToStartNamingTheFile()
    {
        var directory = Path.Combine(Path.GetTempPath(), "freshet-acl-broken", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            File.WriteAllText(Path.Combine(directory, AclStore.FileName), "not json");
            using var store = Freshet.Log.LogStore.Open(directory, new Freshet.Log.LogStoreOptions { BackgroundMaintenance = false });

            var e = await Assert.ThrowsAsync<Freshet.Log.LogException>(() => KafkaBroker.StartAsync(store, new BrokerOptions { Authorization = new AuthorizationOptions { Enabled = true } }));

            Assert.Contains(AclStore.FileName, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
