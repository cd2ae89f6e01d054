namespace Freshet.Broker.Groups;

/// <summary>
/// One classic consumer group: its members, state, generation, chosen protocol and leader, with the
/// transitions of Kafka's group coordinator. A rebalance starts when a member joins, leaves, changes
/// its metadata or misses its session timeout; it completes once every known member has rejoined (or
/// the rebalance timeout removes those that did not), which bumps the generation and answers every
/// waiting JoinGroup; the leader's SyncGroup then distributes the assignment.
/// <para>
/// Time is passed in (milliseconds since the Unix epoch) so the transitions are deterministic; the
/// coordinator's periodic <see cref="Tick"/> applies deadlines. Waiters are completed outside the lock
/// (the continuations of a TaskCompletionSource must not run under it).
/// </para>
/// Thread-safety: every member takes the group's lock.
/// </summary>
internal sealed class ConsumerGroup
{
    private readonly object _lock = new();
    private readonly Dictionary<string, GroupMember> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _pendingMemberIds = new(StringComparer.Ordinal);
    private readonly long _initialRebalanceDelayMs;
    private long _rebalanceDeadlineMs;
    private long _initialDelayDeadlineMs;

    public ConsumerGroup(string groupId, long initialRebalanceDelayMs)
    {
        GroupId = groupId;
        _initialRebalanceDelayMs = initialRebalanceDelayMs;
    }

    public string GroupId { get; }

    public GroupState State { get; private set; } = GroupState.Empty;

    public int GenerationId { get; private set; }

    public string ProtocolType { get; private set; } = "";

    public string ProtocolName { get; private set; } = "";

    public string LeaderId { get; private set; } = "";

    /// <summary>Adds or re-admits a member and waits until the rebalance completes (or answers at once with an error).</summary>
    public Task<JoinGroupResult> Join(JoinGroupRequestData request, long nowMs, Func<string> newMemberId)
    {
        var completions = new List<Action>();
        Task<JoinGroupResult> result;
        lock (_lock)
        {
            result = JoinLocked(request, nowMs, newMemberId, completions);
        }

        RunAll(completions);
        return result;
    }

    private Task<JoinGroupResult> JoinLocked(JoinGroupRequestData request, long nowMs, Func<string> newMemberId, List<Action> completions)
    {
        if (_members.Count > 0 && (request.ProtocolType != ProtocolType || !AnyCommonProtocol(request.Protocols)))
        {
            return Task.FromResult(JoinGroupResult.Error(GroupErrorCode.InconsistentGroupProtocol, request.MemberId));
        }

        if (request.Protocols.Count == 0 || string.IsNullOrEmpty(request.ProtocolType))
        {
            return Task.FromResult(JoinGroupResult.Error(GroupErrorCode.InconsistentGroupProtocol, request.MemberId));
        }

        GroupMember? member;
        if (request.MemberId.Length == 0)
        {
            // A static member rejoining under its instance id takes over its old identity (the old
            // member id is fenced), keeping its place in the group.
            if (request.GroupInstanceId is { } instanceId && FindByInstanceId(instanceId) is { } previous)
            {
                RemoveMemberLocked(previous, GroupErrorCode.FencedInstanceId, completions);
            }

            var memberId = newMemberId();
            if (request.RequireKnownMemberId && request.GroupInstanceId is null)
            {
                // KIP-394: hand out the id first; the member joins for real with it.
                _pendingMemberIds[memberId] = nowMs + request.SessionTimeoutMs;
                return Task.FromResult(JoinGroupResult.Error(GroupErrorCode.MemberIdRequired, memberId));
            }

            member = new GroupMember(memberId, request);
            AddMemberLocked(member, nowMs);
            PrepareRebalanceLocked(nowMs, completions);
        }
        else if (_members.TryGetValue(request.MemberId, out member))
        {
            var changed = !member.SameProtocols(request.Protocols);
            member.Update(request);
            member.SessionDeadlineMs = nowMs + member.SessionTimeoutMs;
            switch (State)
            {
                case GroupState.CompletingRebalance when !changed:
                    // The member missed our join response: answer again with the current generation.
                    return Task.FromResult(JoinResultFor(member));
                case GroupState.Stable when !changed && member.MemberId != LeaderId:
                    return Task.FromResult(JoinResultFor(member));
                case GroupState.PreparingRebalance:
                    break;
                default:
                    PrepareRebalanceLocked(nowMs, completions);
                    break;
            }
        }
        else if (_pendingMemberIds.Remove(request.MemberId))
        {
            member = new GroupMember(request.MemberId, request);
            AddMemberLocked(member, nowMs);
            PrepareRebalanceLocked(nowMs, completions);
        }
        else
        {
            return Task.FromResult(JoinGroupResult.Error(GroupErrorCode.UnknownMemberId, request.MemberId));
        }

        // A member that re-sends JoinGroup while an earlier one still waits: the earlier one is superseded.
        var superseded = member.PendingJoin;
        var waiter = new TaskCompletionSource<JoinGroupResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        member.PendingJoin = waiter;
        if (superseded is not null)
        {
            completions.Add(() => superseded.TrySetResult(JoinGroupResult.Error(GroupErrorCode.UnknownMemberId, member.MemberId)));
        }

        TryCompleteJoinLocked(nowMs, expired: false, completions);
        return waiter.Task;
    }

    private GroupMember? FindByInstanceId(string instanceId)
    {
        foreach (var member in _members.Values)
        {
            if (member.GroupInstanceId == instanceId)
            {
                return member;
            }
        }

        return null;
    }

    private void AddMemberLocked(GroupMember member, long nowMs)
    {
        if (_members.Count == 0)
        {
            ProtocolType = member.ProtocolType;
        }

        member.SessionDeadlineMs = nowMs + member.SessionTimeoutMs;
        _members[member.MemberId] = member;
    }

    private bool AnyCommonProtocol(IReadOnlyList<MemberProtocol> protocols)
    {
        foreach (var protocol in protocols)
        {
            var everyone = true;
            foreach (var member in _members.Values)
            {
                everyone &= member.SupportsProtocol(protocol.Name);
            }

            if (everyone)
            {
                return true;
            }
        }

        return false;
    }

    private void PrepareRebalanceLocked(long nowMs, List<Action> completions)
    {
        if (State == GroupState.CompletingRebalance)
        {
            // Members waiting for an assignment of the old generation must rejoin.
            foreach (var member in _members.Values)
            {
                CompleteSync(member, SyncGroupResult.Error(GroupErrorCode.RebalanceInProgress), completions);
            }
        }

        var maxRebalanceTimeout = 0;
        foreach (var member in _members.Values)
        {
            maxRebalanceTimeout = Math.Max(maxRebalanceTimeout, member.RebalanceTimeoutMs);
        }

        if (State == GroupState.Empty)
        {
            // Kafka's group.initial.rebalance.delay.ms: let the first members of a new group arrive together.
            _initialDelayDeadlineMs = nowMs + _initialRebalanceDelayMs;
        }

        if (State != GroupState.PreparingRebalance)
        {
            _rebalanceDeadlineMs = nowMs + maxRebalanceTimeout;
        }

        State = GroupState.PreparingRebalance;
    }

    /// <summary>Completes the rebalance once every member has rejoined (and any initial delay passed), or on expiry.</summary>
    private void TryCompleteJoinLocked(long nowMs, bool expired, List<Action> completions)
    {
        if (State != GroupState.PreparingRebalance)
        {
            return;
        }

        var allJoined = true;
        foreach (var member in _members.Values)
        {
            allJoined &= member.PendingJoin is not null;
        }

        if (!expired && (!allJoined || nowMs < _initialDelayDeadlineMs))
        {
            return;
        }

        if (expired)
        {
            foreach (var member in _members.Values.Where(m => m.PendingJoin is null).ToList())
            {
                _members.Remove(member.MemberId);
            }
        }

        GenerationId++;
        if (_members.Count == 0)
        {
            State = GroupState.Empty;
            ProtocolName = "";
            LeaderId = "";
            return;
        }

        ProtocolName = SelectProtocol();
        if (!_members.ContainsKey(LeaderId))
        {
            LeaderId = _members.Keys.First();
        }

        State = GroupState.CompletingRebalance;
        foreach (var member in _members.Values)
        {
            member.Assignment = [];
            member.SessionDeadlineMs = nowMs + member.SessionTimeoutMs;
            var waiter = member.PendingJoin!;
            member.PendingJoin = null;
            var result = JoinResultFor(member);
            completions.Add(() => waiter.TrySetResult(result));
        }
    }

    /// <summary>The protocol every member supports that gets the most votes (each member votes for its first supported choice), as Kafka does.</summary>
    private string SelectProtocol()
    {
        var candidates = _members.Values.First().Protocols.Select(p => p.Name).Where(name => _members.Values.All(m => m.SupportsProtocol(name))).ToList();
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var member in _members.Values)
        {
            var choice = member.Protocols.First(p => candidates.Contains(p.Name)).Name;
            votes[choice] = votes.GetValueOrDefault(choice) + 1;
        }

        return votes.OrderByDescending(v => v.Value).ThenBy(v => candidates.IndexOf(v.Key)).First().Key;
    }

    private JoinGroupResult JoinResultFor(GroupMember member)
    {
        IReadOnlyList<JoinedMember> members = member.MemberId == LeaderId
            ? _members.Values.Select(m => new JoinedMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(ProtocolName))).ToArray()
            : [];
        return new JoinGroupResult(GroupErrorCode.None, GenerationId, ProtocolName, LeaderId, member.MemberId, members);
    }

    /// <summary>Waits for the member's assignment; the leader's call carries the assignment of every member.</summary>
    public Task<SyncGroupResult> Sync(string memberId, int generationId, IReadOnlyDictionary<string, byte[]>? leaderAssignments, long nowMs)
    {
        var completions = new List<Action>();
        Task<SyncGroupResult> result;
        lock (_lock)
        {
            result = SyncLocked(memberId, generationId, leaderAssignments, nowMs, completions);
        }

        RunAll(completions);
        return result;
    }

    private Task<SyncGroupResult> SyncLocked(string memberId, int generationId, IReadOnlyDictionary<string, byte[]>? leaderAssignments, long nowMs, List<Action> completions)
    {
        if (!_members.TryGetValue(memberId, out var member))
        {
            return Task.FromResult(SyncGroupResult.Error(GroupErrorCode.UnknownMemberId));
        }

        if (generationId != GenerationId)
        {
            return Task.FromResult(SyncGroupResult.Error(GroupErrorCode.IllegalGeneration));
        }

        member.SessionDeadlineMs = nowMs + member.SessionTimeoutMs;
        switch (State)
        {
            case GroupState.PreparingRebalance:
                return Task.FromResult(SyncGroupResult.Error(GroupErrorCode.RebalanceInProgress));
            case GroupState.Stable:
                return Task.FromResult(new SyncGroupResult(GroupErrorCode.None, member.Assignment));
            case GroupState.CompletingRebalance:
                var waiter = new TaskCompletionSource<SyncGroupResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                var superseded = member.PendingSync;
                member.PendingSync = waiter;
                if (superseded is not null)
                {
                    completions.Add(() => superseded.TrySetResult(SyncGroupResult.Error(GroupErrorCode.RebalanceInProgress)));
                }

                if (memberId == LeaderId && leaderAssignments is not null)
                {
                    foreach (var other in _members.Values)
                    {
                        other.Assignment = leaderAssignments.TryGetValue(other.MemberId, out var assignment) ? assignment : [];
                    }

                    State = GroupState.Stable;
                    foreach (var other in _members.Values)
                    {
                        CompleteSync(other, new SyncGroupResult(GroupErrorCode.None, other.Assignment), completions);
                    }
                }

                return waiter.Task;
            default:
                return Task.FromResult(SyncGroupResult.Error(GroupErrorCode.UnknownMemberId));
        }
    }

    private static void CompleteSync(GroupMember member, SyncGroupResult result, List<Action> completions)
    {
        var waiter = member.PendingSync;
        member.PendingSync = null;
        if (waiter is not null)
        {
            completions.Add(() => waiter.TrySetResult(result));
        }
    }

    /// <summary>Keeps a member alive; tells it to rejoin when a rebalance is under way.</summary>
    public short Heartbeat(string memberId, int generationId, long nowMs)
    {
        lock (_lock)
        {
            if (!_members.TryGetValue(memberId, out var member))
            {
                return GroupErrorCode.UnknownMemberId;
            }

            if (generationId != GenerationId)
            {
                return GroupErrorCode.IllegalGeneration;
            }

            member.SessionDeadlineMs = nowMs + member.SessionTimeoutMs;
            return State == GroupState.PreparingRebalance ? GroupErrorCode.RebalanceInProgress : GroupErrorCode.None;
        }
    }

    /// <summary>Removes members (by member id, or by static instance id when the member id is empty); returns an error code per member.</summary>
    public IReadOnlyList<short> Leave(IReadOnlyList<(string MemberId, string? GroupInstanceId)> leaving, long nowMs)
    {
        var completions = new List<Action>();
        var results = new short[leaving.Count];
        lock (_lock)
        {
            for (var i = 0; i < leaving.Count; i++)
            {
                var (memberId, instanceId) = leaving[i];
                var member = memberId.Length > 0 ? _members.GetValueOrDefault(memberId) : instanceId is null ? null : FindByInstanceId(instanceId);
                if (member is null)
                {
                    results[i] = GroupErrorCode.UnknownMemberId;
                    continue;
                }

                if (instanceId is not null && member.GroupInstanceId is not null && member.GroupInstanceId != instanceId)
                {
                    results[i] = GroupErrorCode.FencedInstanceId;
                    continue;
                }

                RemoveMemberLocked(member, GroupErrorCode.UnknownMemberId, completions);
                results[i] = GroupErrorCode.None;
            }

            AfterMembershipChangeLocked(nowMs, completions);
        }

        RunAll(completions);
        return results;
    }

    private void RemoveMemberLocked(GroupMember member, short errorForWaiters, List<Action> completions)
    {
        _members.Remove(member.MemberId);
        if (member.PendingJoin is { } join)
        {
            member.PendingJoin = null;
            completions.Add(() => join.TrySetResult(JoinGroupResult.Error(errorForWaiters, member.MemberId)));
        }

        CompleteSync(member, SyncGroupResult.Error(errorForWaiters), completions);
    }

    private void AfterMembershipChangeLocked(long nowMs, List<Action> completions)
    {
        switch (State)
        {
            case GroupState.Stable or GroupState.CompletingRebalance:
                PrepareRebalanceLocked(nowMs, completions);
                TryCompleteJoinLocked(nowMs, expired: false, completions);
                break;
            case GroupState.PreparingRebalance:
                TryCompleteJoinLocked(nowMs, expired: false, completions);
                break;
        }

        if (_members.Count == 0 && State == GroupState.PreparingRebalance)
        {
            TryCompleteJoinLocked(nowMs, expired: true, completions);
        }
    }

    /// <summary>
    /// Applies deadlines: removes members whose session expired (those waiting in JoinGroup are
    /// covered by the rebalance timeout instead), forgets unclaimed member ids, completes a rebalance
    /// whose timeout or initial delay passed.
    /// </summary>
    public void Tick(long nowMs)
    {
        var completions = new List<Action>();
        lock (_lock)
        {
            foreach (var (memberId, deadline) in _pendingMemberIds.ToList())
            {
                if (nowMs >= deadline)
                {
                    _pendingMemberIds.Remove(memberId);
                }
            }

            var expired = _members.Values.Where(m => m.PendingJoin is null && nowMs >= m.SessionDeadlineMs).ToList();
            foreach (var member in expired)
            {
                RemoveMemberLocked(member, GroupErrorCode.UnknownMemberId, completions);
            }

            if (expired.Count > 0)
            {
                AfterMembershipChangeLocked(nowMs, completions);
            }

            if (State == GroupState.PreparingRebalance)
            {
                TryCompleteJoinLocked(nowMs, expired: nowMs >= _rebalanceDeadlineMs, completions);
            }
        }

        RunAll(completions);
    }

    /// <summary>Checks that a commit may be stored: simple commits (generation -1, no member) only while the group has no members.</summary>
    public short CheckCommit(string memberId, int generationId, long nowMs)
    {
        lock (_lock)
        {
            if (generationId < 0 && memberId.Length == 0)
            {
                return _members.Count == 0 ? GroupErrorCode.None : GroupErrorCode.IllegalGeneration;
            }

            if (!_members.TryGetValue(memberId, out var member))
            {
                return GroupErrorCode.UnknownMemberId;
            }

            if (generationId != GenerationId)
            {
                return GroupErrorCode.IllegalGeneration;
            }

            if (State == GroupState.CompletingRebalance)
            {
                return GroupErrorCode.RebalanceInProgress;
            }

            member.SessionDeadlineMs = nowMs + member.SessionTimeoutMs;
            return GroupErrorCode.None;
        }
    }

    /// <summary>A consistent picture of the group for DescribeGroups.</summary>
    public GroupDescription Describe()
    {
        lock (_lock)
        {
            var members = _members.Values
                .Select(m => new GroupMemberDescription(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost, State == GroupState.Stable ? m.MetadataFor(ProtocolName) : [], State == GroupState.Stable ? m.Assignment : []))
                .ToArray();
            return new GroupDescription(GroupId, StateName(State), ProtocolType, State is GroupState.Stable or GroupState.CompletingRebalance ? ProtocolName : "", members);
        }
    }

    /// <summary>Kafka's names of the states, as DescribeGroups and ListGroups report them.</summary>
    public static string StateName(GroupState state) => state switch
    {
        GroupState.PreparingRebalance => "PreparingRebalance",
        GroupState.CompletingRebalance => "CompletingRebalance",
        GroupState.Stable => "Stable",
        _ => "Empty",
    };

    private static void RunAll(List<Action> completions)
    {
        foreach (var completion in completions)
        {
            completion();
        }
    }
}
