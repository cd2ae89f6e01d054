namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>
/// A member of a consumer protocol group (KIP-848) as the coordinator sees it: its subscription, its
/// epoch and the partitions it has been told it owns (<see cref="Assigned"/>) or must give back
/// (<see cref="PendingRevocation"/>). Not thread-safe: read and changed under its group's lock only.
/// </summary>
internal sealed class ConsumerProtocolMember
{
    public ConsumerProtocolMember(string memberId) => MemberId = memberId;

    /// <summary>The member id (client-chosen from v1, coordinator-chosen in v0).</summary>
    public string MemberId { get; }

    /// <summary>The epoch the member is at: the target epoch it last reconciled to; 0 before its first assignment.</summary>
    public int MemberEpoch { get; set; }

    /// <summary>The epoch before the last advance, which a retried heartbeat may still carry.</summary>
    public int PreviousMemberEpoch { get; set; }

    public ConsumerMemberState State { get; set; } = ConsumerMemberState.Stable;

    /// <summary>The static instance id the member reported, or null.</summary>
    public string? InstanceId { get; set; }

    /// <summary>The rack the member reported, or null.</summary>
    public string? RackId { get; set; }

    /// <summary>The client id of the member's connection.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The address the member connects from.</summary>
    public string ClientHost { get; set; } = "";

    /// <summary>Milliseconds the member has to revoke partitions once asked.</summary>
    public int RebalanceTimeoutMs { get; set; }

    /// <summary>The subscribed topic names, sorted and without duplicates.</summary>
    public IReadOnlyList<string> SubscribedTopics { get; set; } = [];

    /// <summary>The server assignor the member asked for, or null for the group's default.</summary>
    public string? ServerAssignor { get; set; }

    /// <summary>The partitions the member has been told it owns.</summary>
    public PartitionAssignment Assigned { get; set; } = new();

    /// <summary>Partitions the member still owns but must revoke; no other member gets them until it does.</summary>
    public PartitionAssignment PendingRevocation { get; set; } = new();

    /// <summary>Milliseconds since the Unix epoch after which the member is removed for not heartbeating.</summary>
    public long SessionDeadlineMs { get; set; }

    /// <summary>Milliseconds since the Unix epoch after which a member that has not revoked its pending partitions is removed.</summary>
    public long RevocationDeadlineMs { get; set; } = long.MaxValue;
}
