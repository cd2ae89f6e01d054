namespace Freshet.Broker.Groups;

/// <summary>
/// A member of a <see cref="ConsumerGroup"/>: identity, timeouts, supported protocols, the assignment
/// it was given, its session deadline, and the JoinGroup/SyncGroup calls it is waiting in. The member
/// id changes only when a static member (<see cref="GroupInstanceId"/>) rejoins and replaces it.
/// Not thread-safe: guarded by its group's lock.
/// </summary>
internal sealed class GroupMember
{
    public GroupMember(string memberId, JoinGroupRequestData request)
    {
        MemberId = memberId;
        Update(request);
    }

    public string MemberId { get; set; }

    /// <summary>The JoinGroup this member's settings come from (for a member restored from the log, one made from its stored metadata).</summary>
    public JoinGroupRequestData LastJoin { get; private set; } = null!;

    public string? GroupInstanceId { get; private set; }

    public string ClientId { get; private set; } = "";

    public string ClientHost { get; private set; } = "";

    public int SessionTimeoutMs { get; private set; }

    public int RebalanceTimeoutMs { get; private set; }

    public string ProtocolType { get; private set; } = "";

    public IReadOnlyList<MemberProtocol> Protocols { get; private set; } = [];

    /// <summary>The assignment from the last completed SyncGroup (empty until then).</summary>
    public byte[] Assignment { get; set; } = [];

    /// <summary>Time (ms since the Unix epoch) after which the member is removed unless it heartbeats.</summary>
    public long SessionDeadlineMs { get; set; }

    /// <summary>Set while the member waits in JoinGroup for the rebalance to complete.</summary>
    public TaskCompletionSource<JoinGroupResult>? PendingJoin { get; set; }

    /// <summary>Set while the member waits in SyncGroup for the leader's assignment.</summary>
    public TaskCompletionSource<SyncGroupResult>? PendingSync { get; set; }

    public void Update(JoinGroupRequestData request)
    {
        LastJoin = request;
        GroupInstanceId = request.GroupInstanceId;
        ClientId = request.ClientId;
        ClientHost = request.ClientHost;
        SessionTimeoutMs = request.SessionTimeoutMs;
        RebalanceTimeoutMs = request.RebalanceTimeoutMs > 0 ? request.RebalanceTimeoutMs : request.SessionTimeoutMs;
        ProtocolType = request.ProtocolType;
        Protocols = request.Protocols;
    }

    public bool SupportsProtocol(string name)
    {
        foreach (var protocol in Protocols)
        {
            if (protocol.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    public byte[] MetadataFor(string protocol)
    {
        foreach (var candidate in Protocols)
        {
            if (candidate.Name == protocol)
            {
                return candidate.Metadata;
            }
        }

        return [];
    }

    public bool SameProtocols(IReadOnlyList<MemberProtocol> other)
    {
        if (other.Count != Protocols.Count)
        {
            return false;
        }

        for (var i = 0; i < other.Count; i++)
        {
            if (other[i].Name != Protocols[i].Name || !other[i].Metadata.AsSpan().SequenceEqual(Protocols[i].Metadata))
            {
                return false;
            }
        }

        return true;
    }
}
