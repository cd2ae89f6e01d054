namespace Freshet.Log.Groups;

/// <summary>One member of a stored <see cref="GroupMetadata"/>.</summary>
/// <param name="MemberId">The member id the coordinator gave it.</param>
/// <param name="GroupInstanceId">Its static instance id (<c>group.instance.id</c>, KIP-345), or null for a dynamic member.</param>
/// <param name="ClientId">The client id it joined with.</param>
/// <param name="ClientHost">The address it joined from.</param>
/// <param name="RebalanceTimeoutMs">How long a rebalance waits for it to rejoin, in milliseconds.</param>
/// <param name="SessionTimeoutMs">How long it may go without a heartbeat before it is removed, in milliseconds.</param>
/// <param name="Subscription">Its metadata for the group's chosen protocol (for consumers, the subscription); opaque to the store.</param>
/// <param name="Assignment">The assignment the leader gave it for the generation; opaque to the store.</param>
public sealed record GroupMemberMetadata(
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int RebalanceTimeoutMs,
    int SessionTimeoutMs,
    byte[] Subscription,
    byte[] Assignment);
