using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Broker.Tests.Support;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Tests.Admin;

/// <summary>DescribeCluster through librdkafka's AdminClient and raw requests.</summary>
public sealed class DescribeClusterTests
{
    [Fact]
    public async Task DescribeClusterAsync_AdminClient_ThisNodeClusterIdAndController()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();

        var plain = await admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
        var withOperations = await admin.DescribeClusterAsync(new DescribeClusterOptions { IncludeAuthorizedOperations = true, RequestTimeout = TimeSpan.FromSeconds(10) });

        var port = int.Parse(harness.BootstrapServers.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(harness.Broker.ClusterId, plain.ClusterId);
        var nodeId = new BrokerOptions().NodeId;
        Assert.Equal(nodeId, plain.Controller.Id);
        var node = Assert.Single(plain.Nodes);
        Assert.Equal((nodeId, "127.0.0.1", port), (node.Id, node.Host, node.Port));
        Assert.Null(plain.AuthorizedOperations);
        Assert.Equal(
            [AclOperation.Create, AclOperation.Alter, AclOperation.Describe, AclOperation.ClusterAction, AclOperation.DescribeConfigs, AclOperation.AlterConfigs, AclOperation.IdempotentWrite],
            withOperations.AuthorizedOperations!.Order());
    }

    [Fact]
    public async Task DescribeCluster_RawControllerEndpointType_MismatchedEndpointType()
    {
        await using var harness = await BrokerHarness.StartAsync();
        using var client = await RawKafkaClient.ConnectAsync(harness.Broker);

        var brokers = await client.RoundTripAsync<DescribeClusterRequest, DescribeClusterResponse>(new DescribeClusterRequest { EndpointType = 1 }, 1);
        var controllers = await client.RoundTripAsync<DescribeClusterRequest, DescribeClusterResponse>(new DescribeClusterRequest { EndpointType = 2 }, 1);
        var unknown = await client.RoundTripAsync<DescribeClusterRequest, DescribeClusterResponse>(new DescribeClusterRequest { EndpointType = 9 }, 1);

        Assert.Equal((0, DescribeClusterResponse.AuthorizedOperationsOmitted, 1), (brokers.ErrorCode, brokers.ClusterAuthorizedOperations, brokers.Brokers.Count));
        Assert.Equal(114, controllers.ErrorCode);
        Assert.Empty(controllers.Brokers);
        Assert.Equal(115, unknown.ErrorCode);
    }
}
