using Freshet.Broker;
using Freshet.Dashboard.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Freshet.Dashboard.Brokers;

/// <summary>The broker's REST API (docs/rest-api.md): read-only views of topics, groups and transactions.</summary>
/// <param name="startTime">When the broker started serving, for the uptime.</param>
internal sealed class BrokerEndpoints(KafkaBroker broker, DateTimeOffset startTime, TimeProvider time)
{
    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/broker", () => TypedResults.Json(
            new BrokerOverviewResponse(broker.ClusterId, broker.NodeId, broker.BootstrapAddress, startTime, (long)Math.Max(0, (time.GetUtcNow() - startTime).TotalMilliseconds)),
            DashboardJsonContext.Default.BrokerOverviewResponse));
        endpoints.MapGet("/api/topics", () => TypedResults.Json(new TopicsResponse(broker.DescribeTopics()), DashboardJsonContext.Default.TopicsResponse));
        endpoints.MapGet("/api/topics/{name}", Topic);
        endpoints.MapGet("/api/groups", () => TypedResults.Json(new GroupsResponse(broker.DescribeGroups()), DashboardJsonContext.Default.GroupsResponse));
        endpoints.MapGet("/api/groups/{id}", Group);
        endpoints.MapGet("/api/transactions", () => TypedResults.Json(new TransactionsResponse(broker.DescribeTransactions()), DashboardJsonContext.Default.TransactionsResponse));
    }

    private IResult Topic(string name)
    {
        foreach (var topic in broker.DescribeTopics())
        {
            if (topic.Name == name)
            {
                return TypedResults.Json(topic, DashboardJsonContext.Default.TopicOverview);
            }
        }

        return ApiErrors.NotFound($"No topic named '{name}'.");
    }

    private IResult Group(string id)
    {
        foreach (var group in broker.DescribeGroups())
        {
            if (group.GroupId == id)
            {
                return TypedResults.Json(group, DashboardJsonContext.Default.GroupOverview);
            }
        }

        return ApiErrors.NotFound($"No consumer group '{id}'.");
    }
}
