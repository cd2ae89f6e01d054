using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// The APIs a <see cref="GroupMember"/> sends and the versions it can use: up to the codec's highest, from the lowest
/// that carries what the member needs. JoinGroup needs v1 for the rebalance timeout; a static member needs the
/// versions that carry the group instance id (JoinGroup v5, SyncGroup, Heartbeat and LeaveGroup v3, all Kafka 2.3+).
/// A member whose application commits offsets with its generation (at-least-once) also needs OffsetCommit v7 (Kafka
/// 2.3+, the first to carry the group instance id) up to v8: v9 announces a KIP-848 member epoch instead of a
/// classic generation, which this member does not have.
/// </summary>
internal static class GroupMemberApis
{
    /// <summary>The ranges to negotiate for a dynamic (<paramref name="isStatic"/> false) or static member, with OffsetCommit when <paramref name="commitsOffsets"/>.</summary>
    public static IReadOnlyList<ApiVersionRange> Needed(bool isStatic, bool commitsOffsets = false) =>
        commitsOffsets ? [.. GroupApis(isStatic), OffsetCommit] : GroupApis(isStatic);

    /// <summary>OffsetCommit with the generation, member id and group instance id (see the class summary).</summary>
    public static ApiVersionRange OffsetCommit { get; } = new(ApiKeys.OffsetCommit, 7, 8);

    /// <summary>The ranges to negotiate for a dynamic (<paramref name="isStatic"/> false) or static member.</summary>
    private static IReadOnlyList<ApiVersionRange> GroupApis(bool isStatic) =>
    [
        new(ApiKeys.FindCoordinator, FindCoordinatorRequest.LowestSupportedVersion, FindCoordinatorRequest.HighestSupportedVersion),
        new(ApiKeys.JoinGroup, isStatic ? (short)5 : (short)1, JoinGroupRequest.HighestSupportedVersion),
        new(ApiKeys.SyncGroup, isStatic ? (short)3 : SyncGroupRequest.LowestSupportedVersion, SyncGroupRequest.HighestSupportedVersion),
        new(ApiKeys.Heartbeat, isStatic ? (short)3 : HeartbeatRequest.LowestSupportedVersion, HeartbeatRequest.HighestSupportedVersion),
        new(ApiKeys.LeaveGroup, isStatic ? (short)3 : LeaveGroupRequest.LowestSupportedVersion, LeaveGroupRequest.HighestSupportedVersion),
    ];
}
