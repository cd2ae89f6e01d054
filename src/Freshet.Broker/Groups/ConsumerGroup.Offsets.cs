namespace Freshet.Broker.Groups;

/// <summary>The group's say over offsets: who may commit (OffsetCommit, TxnOffsetCommit), and whether it may be deleted (DeleteGroups) or lose some offsets (OffsetDelete).</summary>
internal sealed partial class ConsumerGroup
{
    /// <summary>
    /// Whether an offset commit may be stored, with Kafka's rules (its <c>validateOffsetCommit</c>):
    /// a commit that names a member (a generation of 0 or more, a member id, or an instance id) must come
    /// from a current member (FENCED_INSTANCE_ID for a replaced static instance, else UNKNOWN_MEMBER_ID)
    /// of the current generation (else ILLEGAL_GENERATION); one that names none (generation -1, no
    /// member) is accepted only while the group is Empty (else UNKNOWN_MEMBER_ID), except in a
    /// transaction, where older clients send no member. A member's non-transactional commit is refused
    /// with REBALANCE_IN_PROGRESS while the group waits for the leader's assignment, and keeps its session alive.
    /// </summary>
    public short CheckCommit(string memberId, string? groupInstanceId, int generationId, bool transactional, long nowMs)
    {
        lock (_lock)
        {
            if (State == GroupState.Dead)
            {
                return GroupErrorCode.CoordinatorNotAvailable;
            }

            if (generationId >= 0 || memberId.Length > 0 || groupInstanceId is not null)
            {
                var error = ValidateMemberLocked(memberId, groupInstanceId);
                if (error != GroupErrorCode.None)
                {
                    return error;
                }

                if (generationId != GenerationId)
                {
                    return GroupErrorCode.IllegalGeneration;
                }
            }
            else if (!transactional && State != GroupState.Empty)
            {
                return GroupErrorCode.UnknownMemberId;
            }

            if (transactional)
            {
                return GroupErrorCode.None;
            }

            if (State == GroupState.CompletingRebalance)
            {
                return GroupErrorCode.RebalanceInProgress;
            }

            if (_members.TryGetValue(memberId, out var member))
            {
                member.SessionDeadlineMs = nowMs + member.SessionTimeoutMs;
            }

            return GroupErrorCode.None;
        }
    }

    /// <summary>
    /// DeleteGroups' check: only an Empty group can be deleted; it becomes Dead (every later call on this
    /// instance gets COORDINATOR_NOT_AVAILABLE). Returns NONE, NON_EMPTY_GROUP, or GROUP_ID_NOT_FOUND for
    /// a group already deleted.
    /// </summary>
    public short TryMarkDead(long nowMs)
    {
        lock (_lock)
        {
            switch (State)
            {
                case GroupState.Dead:
                    return GroupErrorCode.GroupIdNotFound;
                case GroupState.Empty:
                    TransitionLocked(GroupState.Dead, nowMs);
                    _pendingMemberIds.Clear();
                    return GroupErrorCode.None;
                default:
                    return GroupErrorCode.NonEmptyGroup;
            }
        }
    }

    /// <summary>Brings a group that could not be deleted back to Empty.</summary>
    public void ReviveEmpty(long nowMs)
    {
        lock (_lock)
        {
            if (State == GroupState.Dead)
            {
                TransitionLocked(GroupState.Empty, nowMs);
            }
        }
    }

    /// <summary>
    /// OffsetDelete's check (KIP-496): an Empty group may lose any committed offset; a group with members
    /// of the "consumer" protocol type only those of topics no member is subscribed to (the others get
    /// GROUP_SUBSCRIBED_TO_TOPIC); any other group with members gets NON_EMPTY_GROUP. A member whose
    /// subscription cannot be read counts as subscribed to every topic.
    /// </summary>
    /// <returns>The group-level error (NONE, NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND for a deleted group); <paramref name="subscribed"/> tells, per topic, whether it is consumed.</returns>
    public short CheckOffsetDelete(IReadOnlyList<string> topics, out bool[] subscribed)
    {
        subscribed = new bool[topics.Count];
        lock (_lock)
        {
            switch (State)
            {
                case GroupState.Dead:
                    return GroupErrorCode.GroupIdNotFound;
                case GroupState.Empty:
                    return GroupErrorCode.None;
                case var _ when ProtocolType != ConsumerSubscription.ProtocolType:
                    return GroupErrorCode.NonEmptyGroup;
            }

            var consumed = new HashSet<string>(StringComparer.Ordinal);
            var everything = ProtocolName.Length == 0;
            foreach (var member in _members.Values)
            {
                if (everything || !ConsumerSubscription.TryReadTopics(member.MetadataFor(ProtocolName), out var memberTopics))
                {
                    everything = true;
                    break;
                }

                consumed.UnionWith(memberTopics);
            }

            for (var i = 0; i < topics.Count; i++)
            {
                subscribed[i] = everything || consumed.Contains(topics[i]);
            }

            return GroupErrorCode.None;
        }
    }
}
