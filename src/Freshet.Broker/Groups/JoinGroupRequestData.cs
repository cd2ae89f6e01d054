namespace Freshet.Broker.Groups;

/// <summary>What a JoinGroup asks, independent of its wire version.</summary>
/// <param name="RequireKnownMemberId">True from JoinGroup v4 (KIP-394): a member joining without an id first gets one with MEMBER_ID_REQUIRED.</param>
internal sealed record JoinGroupRequestData(
    string GroupId,
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string ProtocolType,
    IReadOnlyList<MemberProtocol> Protocols,
    bool RequireKnownMemberId);
