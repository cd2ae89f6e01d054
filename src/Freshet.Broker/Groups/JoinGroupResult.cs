namespace Freshet.Broker.Groups;

/// <summary>
/// The answer to a JoinGroup. <see cref="Members"/> is filled for the leader only (with each member's
/// metadata for the chosen protocol); followers get an empty list.
/// </summary>
internal sealed record JoinGroupResult(short ErrorCode, int GenerationId, string ProtocolName, string LeaderId, string MemberId, IReadOnlyList<JoinedMember> Members)
{
    public static JoinGroupResult Error(short code, string memberId = "") => new(code, -1, "", "", memberId, []);
}
