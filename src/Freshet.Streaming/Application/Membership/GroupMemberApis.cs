using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// The APIs a <see cref="GroupMember"/> sends and the versions it can use: up to the codec's highest, from the lowest
/// that carries what the member needs. JoinGroup needs v1 for the rebalance timeout; a static member needs the
/// versions that carry the group instance id (JoinGroup v5, SyncGroup, Heartbeat and LeaveGroup v3, all Kafka 2.3+).
/// </summary>
internal static class GroupMemberApis
{
    /// <summary>The ranges to negotiate for a dynamic (<paramref name="isStatic"/> false) or static member.</summary>
    public static IReadOnlyList<ApiVersionRange> Needed(bool isStatic) =>
    [
        new(ApiKeys.FindCoordinator, FindCoordinatorRequest.LowestSupportedVersion, FindCoordinatorRequest.HighestSupportedVersion),
        new(ApiKeys.JoinGroup, isStatic ? (short)5 : (short)1, JoinGroupRequest.HighestSupportedVersion),
        new(ApiKeys.SyncGroup, isStatic ? (short)3 : SyncGroupRequest.LowestSupportedVersion, SyncGroupRequest.HighestSupportedVersion),
        new(ApiKeys.Heartbeat, isStatic ? (short)3 : HeartbeatRequest.LowestSupportedVersion, HeartbeatRequest.HighestSupportedVersion),
        new(ApiKeys.LeaveGroup, isStatic ? (short)3 : LeaveGroupRequest.LowestSupportedVersion, LeaveGroupRequest.HighestSupportedVersion),
    ];
}
