namespace Freshet.Broker.Groups;

/// <summary>A member as the leader sees it in its JoinGroup response: id, static instance id, metadata of the chosen protocol.</summary>
internal sealed record JoinedMember(string MemberId, string? GroupInstanceId, byte[] Metadata);
