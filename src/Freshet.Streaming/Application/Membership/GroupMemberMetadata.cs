namespace Freshet.Streaming.Application.Membership;

/// <summary>One member of the group as the leader sees it when it computes the assignment. Immutable.</summary>
/// <param name="MemberId">The member's id; the key of its entry in the assignment.</param>
/// <param name="GroupInstanceId">Its static member identity, or null.</param>
/// <param name="Metadata">The bytes its listener's <see cref="IGroupMemberListener.SubscriptionMetadata"/> returned for this round.</param>
internal sealed record GroupMemberMetadata(string MemberId, string? GroupInstanceId, byte[] Metadata);
