using Freshet.Broker.Inspection;

namespace Freshet.Dashboard.Brokers;

/// <summary><c>GET /api/topics</c>: every topic with its partitions, by name.</summary>
internal sealed record TopicsResponse(IReadOnlyList<TopicOverview> Topics);
