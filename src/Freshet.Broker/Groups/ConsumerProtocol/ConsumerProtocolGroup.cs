namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>
/// One group of the consumer group protocol (KIP-848), reconciled by the coordinator rather than by a
/// leader client.
/// <para>
/// Epochs: the <em>group epoch</em> rises whenever membership, a subscription or a subscribed topic's
/// partition count changes; the <em>target assignment</em> is recomputed by the group's assignor when
/// it lags the group epoch and carries that epoch (the target epoch); each member's <em>member
/// epoch</em> reaches the target epoch when the member has been reconciled with its target.
/// </para>
/// <para>
/// Invariant: no partition is held by two members at once. A partition a member holds is in its
/// <see cref="ConsumerProtocolMember.Assigned"/> or its <see cref="ConsumerProtocolMember.PendingRevocation"/>
/// set (both indexed in <c>_holders</c>); a member that must give one up first gets an assignment
/// without it and keeps it pending until a heartbeat reports it no longer owned; a member whose
/// target names a partition another member holds does not get it until it is released.
/// </para>
/// Group state is kept in memory only. Thread-safety: every public member takes the group's lock.
/// </summary>
internal sealed class ConsumerProtocolGroup
{
    /// <summary>The member epoch a member sends to leave the group.</summary>
    public const int LeaveEpoch = -1;

    /// <summary>The member epoch a static member sends to leave the group while meaning to come back.</summary>
    public const int StaticLeaveEpoch = -2;

    private readonly object _lock = new();
    private readonly Dictionary<string, ConsumerProtocolMember> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<(Guid TopicId, int Partition), string> _holders = [];
    private Dictionary<string, PartitionAssignment> _target = new(StringComparer.Ordinal);
    private Dictionary<string, SubscribedTopic> _topics = new(StringComparer.Ordinal);
    private int _groupEpoch;
    private int _targetEpoch;

    public ConsumerProtocolGroup(string groupId) => GroupId = groupId;

    public string GroupId { get; }

    /// <summary>Whether the group has members (a snapshot; it may change at once).</summary>
    public bool HasMembers
    {
        get
        {
            lock (_lock)
            {
                return _members.Count > 0;
            }
        }
    }

    /// <summary>Handles a heartbeat: joins, leaves, or reconciles the member with its target assignment.</summary>
    /// <param name="request">The heartbeat, already validated for shape.</param>
    /// <param name="nowMs">The current time in milliseconds since the Unix epoch.</param>
    /// <param name="settings">The coordinator's settings.</param>
    /// <param name="resolveTopic">Looks up an existing topic by name; false when it does not exist.</param>
    public ConsumerHeartbeatResult Heartbeat(ConsumerHeartbeatRequest request, long nowMs, ConsumerProtocolSettings settings, TryResolveTopic resolveTopic)
    {
        lock (_lock)
        {
            if (request.MemberEpoch is LeaveEpoch or StaticLeaveEpoch)
            {
                if (!_members.TryGetValue(request.MemberId, out var leaving))
                {
                    return ConsumerHeartbeatResult.Error(GroupErrorCode.UnknownMemberId, $"Member {request.MemberId} is not in group {GroupId}.");
                }

                RemoveMemberLocked(leaving);
                return new ConsumerHeartbeatResult(GroupErrorCode.None, null, request.MemberId, request.MemberEpoch, 0, null);
            }

            var membershipChanged = false;
            if (!_members.TryGetValue(request.MemberId, out var member))
            {
                if (request.MemberEpoch != 0)
                {
                    return ConsumerHeartbeatResult.Error(GroupErrorCode.UnknownMemberId, $"Member {request.MemberId} is not in group {GroupId}.");
                }

                member = new ConsumerProtocolMember(request.MemberId);
                _members.Add(member.MemberId, member);
                membershipChanged = true;
            }
            else if (request.MemberEpoch == 0)
            {
                // The client lost its state (it was fenced, or restarted with the same id): it owns nothing now.
                SetHeldLocked(member, new PartitionAssignment(), new PartitionAssignment());
                member.MemberEpoch = 0;
                member.PreviousMemberEpoch = 0;
                member.State = ConsumerMemberState.Stable;
                member.RevocationDeadlineMs = long.MaxValue;
            }
            else if (request.MemberEpoch > member.MemberEpoch
                || (request.MemberEpoch < member.MemberEpoch
                    && (request.MemberEpoch != member.PreviousMemberEpoch || (request.OwnedPartitions is { } owned && !owned.IsSubsetOf(member.Assigned)))))
            {
                // An epoch from the future, or an old one that is not a retry of the last advance.
                return ConsumerHeartbeatResult.Error(GroupErrorCode.FencedMemberEpoch, $"Member epoch {request.MemberEpoch} is fenced; the member is at epoch {member.MemberEpoch}.");
            }

            member.SessionDeadlineMs = nowMs + settings.SessionTimeoutMs;
            member.ClientId = request.ClientId;
            member.ClientHost = request.ClientHost;
            member.InstanceId = request.InstanceId ?? member.InstanceId;
            member.RackId = request.RackId ?? member.RackId;
            if (request.RebalanceTimeoutMs >= 0)
            {
                member.RebalanceTimeoutMs = request.RebalanceTimeoutMs;
            }

            if (request.SubscribedTopicNames is { } names)
            {
                var sorted = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
                if (!sorted.SequenceEqual(member.SubscribedTopics, StringComparer.Ordinal))
                {
                    member.SubscribedTopics = sorted;
                    membershipChanged = true;
                }
            }

            if (request.ServerAssignor is { } assignor && !string.Equals(assignor, member.ServerAssignor, StringComparison.Ordinal))
            {
                member.ServerAssignor = assignor;
                membershipChanged = true;
            }

            var topics = ResolveSubscribedTopicsLocked(resolveTopic);
            if (membershipChanged || !SameTopics(topics, _topics))
            {
                _topics = topics;
                _groupEpoch++;
            }

            if (_targetEpoch < _groupEpoch)
            {
                ComputeTargetLocked(settings);
            }

            var epochBefore = member.MemberEpoch;
            var assignedBefore = member.Assigned;
            ReconcileLocked(member, request.OwnedPartitions, nowMs);
            var sendAssignment = request.MemberEpoch == 0
                || member.MemberEpoch != epochBefore
                || !ReferenceEquals(member.Assigned, assignedBefore)
                || (request.OwnedPartitions is { } reported && !reported.SetEquals(member.Assigned));
            return new ConsumerHeartbeatResult(
                GroupErrorCode.None,
                null,
                member.MemberId,
                member.MemberEpoch,
                settings.HeartbeatIntervalMs,
                sendAssignment ? member.Assigned.Clone() : null);
        }
    }

    /// <summary>
    /// Whether an OffsetCommit may be stored, with Kafka's rules for consumer protocol groups: a commit
    /// without a member epoch (-1) only while the group is empty; otherwise the member must exist
    /// (UNKNOWN_MEMBER_ID), commit with OffsetCommit v9 or later (UNSUPPORTED_VERSION) and carry its
    /// current member epoch (STALE_MEMBER_EPOCH). A transactional commit (TxnOffsetCommit) has no version
    /// requirement and gets ILLEGAL_GENERATION for a stale epoch, since that API has no STALE_MEMBER_EPOCH.
    /// </summary>
    public short CheckCommit(string memberId, int memberEpoch, short apiVersion, bool transactional)
    {
        lock (_lock)
        {
            if (memberEpoch < 0 && _members.Count == 0)
            {
                return GroupErrorCode.None;
            }

            if (!_members.TryGetValue(memberId, out var member))
            {
                return GroupErrorCode.UnknownMemberId;
            }

            if (transactional)
            {
                return memberEpoch == member.MemberEpoch ? GroupErrorCode.None : GroupErrorCode.IllegalGeneration;
            }

            if (apiVersion < 9)
            {
                return GroupErrorCode.UnsupportedVersion;
            }

            return memberEpoch == member.MemberEpoch ? GroupErrorCode.None : GroupErrorCode.StaleMemberEpoch;
        }
    }

    /// <summary>Removes members whose session expired or who did not revoke partitions in time.</summary>
    public void Tick(long nowMs)
    {
        lock (_lock)
        {
            foreach (var member in _members.Values.ToArray())
            {
                if (member.SessionDeadlineMs < nowMs || member.RevocationDeadlineMs < nowMs)
                {
                    RemoveMemberLocked(member);
                }
            }
        }
    }

    /// <summary>The group as DescribeGroups and ListGroups report it (protocol type "consumer", the assignor as protocol).</summary>
    public GroupDescription Describe(string defaultAssignor)
    {
        lock (_lock)
        {
            var state = StateLocked();
            var members = _members.Values
                .OrderBy(m => m.MemberId, StringComparer.Ordinal)
                .Select(m => new GroupMemberDescription(m.MemberId, m.InstanceId, m.ClientId, m.ClientHost, [], []))
                .ToArray();
            return new GroupDescription(GroupId, state, "consumer", _members.Count == 0 ? "" : ChooseAssignorName(defaultAssignor), members);
        }
    }

    /// <summary>The group with each member's subscription, current and target assignment, as ConsumerGroupDescribe reports it.</summary>
    public ConsumerGroupDetail DescribeInDetail(string defaultAssignor)
    {
        lock (_lock)
        {
            var members = _members.Values
                .OrderBy(m => m.MemberId, StringComparer.Ordinal)
                .Select(m => new ConsumerMemberDetail(
                    m.MemberId,
                    m.InstanceId,
                    m.RackId,
                    m.MemberEpoch,
                    m.ClientId,
                    m.ClientHost,
                    m.SubscribedTopics.ToArray(),
                    Snapshot(m.Assigned),
                    Snapshot(_target.TryGetValue(m.MemberId, out var target) ? target : null)))
                .ToArray();
            return new ConsumerGroupDetail(GroupId, StateLocked(), _groupEpoch, _targetEpoch, ChooseAssignorName(defaultAssignor), members);
        }

        static Dictionary<Guid, int[]> Snapshot(PartitionAssignment? assignment) =>
            assignment?.Topics.ToDictionary(t => t.Key, t => t.Value.ToArray()) ?? [];
    }

    private Dictionary<string, SubscribedTopic> ResolveSubscribedTopicsLocked(TryResolveTopic resolveTopic)
    {
        var topics = new Dictionary<string, SubscribedTopic>(StringComparer.Ordinal);
        foreach (var member in _members.Values)
        {
            foreach (var name in member.SubscribedTopics)
            {
                if (!topics.ContainsKey(name) && resolveTopic(name, out var topic))
                {
                    topics[name] = topic;
                }
            }
        }

        return topics;
    }

    private static bool SameTopics(Dictionary<string, SubscribedTopic> a, Dictionary<string, SubscribedTopic> b) =>
        a.Count == b.Count && a.All(t => b.TryGetValue(t.Key, out var other) && other == t.Value);

    private string StateLocked() =>
        _members.Count == 0 ? "Empty"
        : _targetEpoch < _groupEpoch ? "Assigning"
        : _members.Values.Any(m => m.MemberEpoch != _targetEpoch || m.State != ConsumerMemberState.Stable) ? "Reconciling"
        : "Stable";

    private string ChooseAssignorName(string defaultAssignor) =>
        _members.Values
            .Where(m => m.ServerAssignor is not null)
            .GroupBy(m => m.ServerAssignor!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key)
            .FirstOrDefault() ?? defaultAssignor;

    private void ComputeTargetLocked(ConsumerProtocolSettings settings)
    {
        var subscriptions = new Dictionary<string, IReadOnlySet<Guid>>(StringComparer.Ordinal);
        foreach (var member in _members.Values)
        {
            var ids = new HashSet<Guid>();
            foreach (var name in member.SubscribedTopics)
            {
                if (_topics.TryGetValue(name, out var topic))
                {
                    ids.Add(topic.TopicId);
                }
            }

            subscriptions[member.MemberId] = ids;
        }

        var partitionCounts = new Dictionary<Guid, int>();
        foreach (var topic in _topics.Values)
        {
            partitionCounts[topic.TopicId] = topic.Partitions;
        }

        var assignor = settings.FindAssignor(ChooseAssignorName(settings.DefaultAssignor)) ?? settings.FindAssignor(settings.DefaultAssignor)!;
        _target = assignor.Assign(subscriptions, partitionCounts, _target);
        _targetEpoch = _groupEpoch;
    }

    // Kafka's CurrentAssignmentBuilder in spirit: revoke first, then take what is free.
    private void ReconcileLocked(ConsumerProtocolMember member, PartitionAssignment? reportedOwned, long nowMs)
    {
        if (member.State == ConsumerMemberState.UnrevokedPartitions)
        {
            // Without a report the member is assumed to still own what it must revoke.
            if (reportedOwned is null || reportedOwned.Overlaps(member.PendingRevocation))
            {
                return;
            }

            SetHeldLocked(member, member.Assigned, new PartitionAssignment());
            member.RevocationDeadlineMs = long.MaxValue;
            member.State = ConsumerMemberState.Stable;
        }
        else if (member.State == ConsumerMemberState.Stable && member.MemberEpoch == _targetEpoch)
        {
            return;
        }

        var target = _target.TryGetValue(member.MemberId, out var found) ? found : new PartitionAssignment();
        var retained = new PartitionAssignment();
        var revoked = new PartitionAssignment();
        foreach (var (topicId, partition) in member.Assigned.All())
        {
            (target.Contains(topicId, partition) ? retained : revoked).Add(topicId, partition);
        }

        if (!revoked.IsEmpty)
        {
            SetHeldLocked(member, retained, revoked);
            member.State = ConsumerMemberState.UnrevokedPartitions;
            member.RevocationDeadlineMs = nowMs + Math.Max(member.RebalanceTimeoutMs, 0);
            return;
        }

        var next = retained;
        var unreleased = false;
        foreach (var (topicId, partition) in target.All())
        {
            if (next.Contains(topicId, partition))
            {
                continue;
            }

            if (_holders.TryGetValue((topicId, partition), out var holder) && holder != member.MemberId)
            {
                unreleased = true;
            }
            else
            {
                next.Add(topicId, partition);
            }
        }

        if (!next.SetEquals(member.Assigned))
        {
            SetHeldLocked(member, next, new PartitionAssignment());
        }

        if (member.MemberEpoch != _targetEpoch)
        {
            member.PreviousMemberEpoch = member.MemberEpoch;
            member.MemberEpoch = _targetEpoch;
        }

        member.State = unreleased ? ConsumerMemberState.UnreleasedPartitions : ConsumerMemberState.Stable;
    }

    private void SetHeldLocked(ConsumerProtocolMember member, PartitionAssignment assigned, PartitionAssignment pendingRevocation)
    {
        ReleaseLocked(member);
        member.Assigned = assigned;
        member.PendingRevocation = pendingRevocation;
        foreach (var partition in assigned.All())
        {
            _holders[partition] = member.MemberId;
        }

        foreach (var partition in pendingRevocation.All())
        {
            _holders[partition] = member.MemberId;
        }
    }

    private void ReleaseLocked(ConsumerProtocolMember member)
    {
        foreach (var partition in member.Assigned.All())
        {
            _holders.Remove(partition);
        }

        foreach (var partition in member.PendingRevocation.All())
        {
            _holders.Remove(partition);
        }
    }

    private void RemoveMemberLocked(ConsumerProtocolMember member)
    {
        ReleaseLocked(member);
        _members.Remove(member.MemberId);
        _target.Remove(member.MemberId);
        _groupEpoch++;
    }
}
