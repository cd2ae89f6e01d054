using Freshet.Broker.Inspection;

namespace Freshet.Dashboard.Brokers;

/// <summary><c>GET /api/groups</c>: every consumer group the broker coordinates, with members and lag.</summary>
internal sealed record GroupsResponse(IReadOnlyList<GroupOverview> Groups);
