using System.Text.Json;
using System.Text.Json.Serialization;
using Freshet.Broker.Inspection;
using Freshet.Dashboard.Brokers;
using Freshet.Dashboard.Hosting;
using Freshet.Dashboard.Jobs;
using Freshet.Streaming.Jobs;

namespace Freshet.Dashboard;

/// <summary>
/// The JSON of the REST API, generated at compile time: camelCase names (the web defaults), enums as their names,
/// null members written (a field is always present, even when it has no value).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(JobOverviewResponse))]
[JsonSerializable(typeof(JobGraphDescription))]
[JsonSerializable(typeof(JobMetricsResponse))]
[JsonSerializable(typeof(CheckpointsResponse))]
[JsonSerializable(typeof(ExceptionsResponse))]
[JsonSerializable(typeof(SavepointRequest))]
[JsonSerializable(typeof(SavepointResponse))]
[JsonSerializable(typeof(CancelResponse))]
[JsonSerializable(typeof(TablesResponse))]
[JsonSerializable(typeof(BrokerOverviewResponse))]
[JsonSerializable(typeof(TopicsResponse))]
[JsonSerializable(typeof(TopicOverview))]
[JsonSerializable(typeof(GroupsResponse))]
[JsonSerializable(typeof(GroupOverview))]
[JsonSerializable(typeof(TransactionsResponse))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
