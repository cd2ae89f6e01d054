using System.Net;
using System.Text.Json.Nodes;
using Freshet.Dashboard.Tests.Support;

namespace Freshet.Dashboard.Tests;

/// <summary>
/// The broker's REST API (docs/rest-api.md) over HTTP against a real broker that Kafka clients (librdkafka) produced
/// to, consume from as a group and hold a transaction open on.
/// </summary>
public sealed class BrokerApiTests(BrokerWithClients broker) : IClassFixture<BrokerWithClients>
{
    private HttpClient Http => broker.Http;

    [Fact]
    public async Task GetBroker_ReturnsClusterIdNodeListenerAndUptime()
    {
        var overview = await HttpJson.GetAsync(Http, "/api/broker");

        Assert.Equal(broker.Broker.ClusterId, (string?)overview["clusterId"]);
        Assert.Equal(broker.Broker.NodeId, (int)overview["nodeId"]!);
        Assert.Equal(broker.Broker.BootstrapAddress, (string?)overview["listener"]);
        Assert.True((long)overview["uptimeMs"]! >= 0);
        Assert.NotNull(overview["startTime"]);
    }

    [Fact]
    public async Task GetTopics_ListsTheTopicWithItsPartitionsAndTheInternalLogs()
    {
        var topics = (await HttpJson.GetAsync(Http, "/api/topics"))["topics"]!.AsArray();

        var orders = topics.Single(t => (string?)t!["name"] == BrokerWithClients.Topic)!;
        Assert.False((bool)orders["isInternal"]!);
        var partitions = orders["partitions"]!.AsArray();
        Assert.Equal([0, 1, 2], partitions.Select(p => (int)p!["partition"]!));
        Assert.All(partitions.Skip(1), p =>
        {
            Assert.Equal(0, (long)p!["logStartOffset"]!);
            Assert.Equal(BrokerWithClients.RecordsPerPartition, (long)p["logEndOffset"]!);
            Assert.Equal(BrokerWithClients.RecordsPerPartition, (long)p["lastStableOffset"]!);
            Assert.True((long)p["sizeBytes"]! > 0);
            Assert.Equal(1, (int)p["segmentCount"]!);
        });
        // Partition 0 holds the open transaction's record: the last stable offset stays before it.
        Assert.Equal(BrokerWithClients.RecordsPerPartition + 1, (long)partitions[0]!["logEndOffset"]!);
        Assert.Equal(BrokerWithClients.RecordsPerPartition, (long)partitions[0]!["lastStableOffset"]!);
        Assert.Contains(topics, t => (string?)t!["name"] == "__consumer_offsets" && (bool)t["isInternal"]!);
    }

    [Fact]
    public async Task GetTopic_KnownName_ReturnsIt_UnknownName_Returns404Json()
    {
        var topic = await HttpJson.GetAsync(Http, "/api/topics/" + BrokerWithClients.Topic);
        Assert.Equal(BrokerWithClients.Partitions, topic["partitions"]!.AsArray().Count);

        var (status, body) = await HttpJson.SendAsync(Http, HttpMethod.Get, "/api/topics/no-such-topic");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("not_found", (string?)body!["error"]);
        Assert.Contains("no-such-topic", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetGroups_ListsTheGroupWithItsMemberAndLag()
    {
        JsonNode group = null!;
        await Poll.UntilAsync(
            async () =>
            {
                var groups = (await HttpJson.GetAsync(Http, "/api/groups"))["groups"]!.AsArray();
                group = groups.SingleOrDefault(g => (string?)g!["groupId"] == BrokerWithClients.GroupId)!;
                return group is not null && group["offsets"]!.AsArray().Count == BrokerWithClients.Partitions;
            },
            () => "the group's committed offsets: " + group?.ToJsonString());

        Assert.Equal("Stable", (string?)group["state"]);
        Assert.Equal("consumer", (string?)group["protocolType"]);
        var member = Assert.Single(group["members"]!.AsArray())!;
        Assert.Equal("dashboard-test-reader", (string?)member["clientId"]);
        Assert.Equal(BrokerWithClients.Partitions, member["assignment"]!.AsArray().Count);
        foreach (var offset in group["offsets"]!.AsArray())
        {
            Assert.Equal(BrokerWithClients.Topic, (string?)offset!["topic"]);
            Assert.Equal(BrokerWithClients.CommittedPerPartition, (long)offset["committedOffset"]!);
            Assert.Equal((long)offset["logEndOffset"]! - BrokerWithClients.CommittedPerPartition, (long)offset["lag"]!);
        }

        var one = await HttpJson.GetAsync(Http, "/api/groups/" + BrokerWithClients.GroupId);
        Assert.Equal(BrokerWithClients.GroupId, (string?)one["groupId"]);
        var (status, body) = await HttpJson.SendAsync(Http, HttpMethod.Get, "/api/groups/no-such-group");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("not_found", (string?)body!["error"]);
    }

    [Fact]
    public async Task GetTransactions_ListsTheOpenTransactionWithItsPartition()
    {
        var transactions = (await HttpJson.GetAsync(Http, "/api/transactions"))["transactions"]!.AsArray();

        var open = transactions.Single(t => (string?)t!["transactionalId"] == BrokerWithClients.TransactionalId)!;
        Assert.Equal("Ongoing", (string?)open["state"]);
        Assert.True((long)open["producerId"]! >= 0);
        Assert.NotNull(open["startedAt"]);
        var partition = Assert.Single(open["partitions"]!.AsArray())!;
        Assert.Equal(BrokerWithClients.Topic, (string?)partition["topic"]);
        Assert.Equal(0, (int)partition["partition"]!);
    }

    [Theory]
    [InlineData("GET", "/api/job", HttpStatusCode.NotFound, "not_found")]
    [InlineData("GET", "/api/topics/orders/partitions", HttpStatusCode.NotFound, "not_found")]
    [InlineData("POST", "/api/topics", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    [InlineData("DELETE", "/api/groups/order-readers", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    public async Task Send_UnknownPathOrWrongMethod_ReturnsJsonError(string method, string path, HttpStatusCode expected, string error)
    {
        var (status, body) = await HttpJson.SendAsync(Http, new HttpMethod(method), path);

        Assert.Equal(expected, status);
        Assert.Equal(error, (string?)body!["error"]);
        Assert.False(string.IsNullOrEmpty((string?)body["message"]));
    }

    [Fact]
    public async Task GetMetricsEndpoint_ServesTheBrokerAndLogMetersInPrometheusText()
    {
        var text = await Http.GetStringAsync("/metrics");

        Assert.Contains("freshet_broker_requests", text, StringComparison.Ordinal);
        Assert.Contains("freshet_log_partition_end_offset", text, StringComparison.Ordinal);
        var page = await Http.GetStringAsync("/");
        Assert.Contains("data-view=\"broker\"", page, StringComparison.Ordinal);
    }
}
