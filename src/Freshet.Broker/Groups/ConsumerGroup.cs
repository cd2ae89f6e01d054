using Freshet.Broker.Logging;
using Freshet.Log.Groups;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Broker.Groups;

/// <summary>
/// One classic consumer group: its members, state, generation, chosen protocol and leader, with the
/// transitions of Kafka's group coordinator. A rebalance starts when a member joins, leaves, changes its
/// metadata or misses its session timeout; it completes once every known member has rejoined (or the
/// rebalance timeout removes those that did not), which bumps the generation and answers every waiting
/// JoinGroup; the leader's SyncGroup then distributes the assignment.
/// <para>
/// Static members (KIP-345) carry a <c>group.instance.id</c>. One that rejoins without its member id
/// takes over its old entry under a new member id; the old id is fenced (FENCED_INSTANCE_ID) from then
/// on. In a Stable group whose chosen protocol stays the same this needs no rebalance: the member gets
/// the current generation back and its old assignment through SyncGroup.
/// </para>
/// <para>
/// Durability: when a generation completes (the leader's SyncGroup), when a static member is replaced
/// without a rebalance, and when the group becomes Empty, the group's metadata is written to the log's
/// <see cref="GroupOffsetStore"/> (Kafka's group metadata record) before anyone is answered;
/// <see cref="Restore"/> rebuilds the group from it after a restart, as Stable (or Empty) with fresh
/// session deadlines, so members that heartbeat in time carry on and the others are removed as usual.
/// </para>
/// <para>
/// Time is passed in (milliseconds since the Unix epoch) so the transitions are deterministic; the
/// coordinator's periodic <see cref="Tick"/> applies deadlines. Waiters are completed outside the lock
/// (the continuations of a TaskCompletionSource must not run under it).
/// </para>
/// Thread-safety: every member takes the group's lock; writes to the store happen under it, so the
/// log holds the group's records in the order of its transitions.
/// </summary>
internal sealed partial class ConsumerGroup
{
    private readonly object _lock = new();
    private readonly Dictionary<string, GroupMember> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _staticMembers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _pendingMemberIds = new(StringComparer.Ordinal);
    private readonly long _initialRebalanceDelayMs;
    private readonly GroupOffsetStore? _store;
    private readonly ILogger _logger;
    private long _rebalanceDeadlineMs;
    private long _initialDelayDeadlineMs;
    private long _stateTimestampMs = -1;

    /// <param name="groupId">The group id.</param>
    /// <param name="initialRebalanceDelayMs">How long the first rebalance of an empty group waits for more members.</param>
    /// <param name="store">Where the group's metadata is persisted; null keeps it in memory only.</param>
    /// <param name="logger">Receives rebalances, new generations and removed members; null logs nothing.</param>
    public ConsumerGroup(string groupId, long initialRebalanceDelayMs, GroupOffsetStore? store, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        GroupId = groupId;
        _initialRebalanceDelayMs = initialRebalanceDelayMs;
        _store = store;
    }

    public string GroupId { get; }

    public GroupState State { get; private set; } = GroupState.Empty;

    public int GenerationId { get; private set; }

    public string ProtocolType { get; private set; } = "";

    public string ProtocolName { get; private set; } = "";

    public string LeaderId { get; private set; } = "";

    /// <summary>Adds or re-admits a member and waits until the rebalance completes (or answers at once).</summary>
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
        if (State == GroupState.Dead)
        {
            return Answer(JoinGroupResult.Error(GroupErrorCode.CoordinatorNotAvailable, request.MemberId));
        }

        if (!SupportsProtocols(request))
        {
            return Answer(JoinGroupResult.Error(GroupErrorCode.InconsistentGroupProtocol, request.MemberId));
        }

        GroupMember? member;
        if (request.MemberId.Length == 0)
        {
            var memberId = newMemberId();
            if (request.GroupInstanceId is { } instanceId && _staticMembers.TryGetValue(instanceId, out var oldMemberId))
            {
                return ReplaceStaticMemberLocked(oldMemberId, memberId, request, nowMs, completions);
            }

            if (request.RequireKnownMemberId && request.GroupInstanceId is null)
            {
                // KIP-394: hand out the id first; the member joins for real with it. Static members skip
                // this step: their instance id already identifies them.
                _pendingMemberIds[memberId] = nowMs + request.SessionTimeoutMs;
                return Answer(JoinGroupResult.Error(GroupErrorCode.MemberIdRequired, memberId));
            }

            member = AddMemberLocked(memberId, request, nowMs, completions);
        }
        else if (_pendingMemberIds.Remove(request.MemberId))
        {
            member = AddMemberLocked(request.MemberId, request, nowMs, completions);
        }
        else
        {
            if (IsFenced(request.GroupInstanceId, request.MemberId))
            {
                return Answer(JoinGroupResult.Error(GroupErrorCode.FencedInstanceId, request.MemberId));
            }

            if (!_members.TryGetValue(request.MemberId, out member) || (request.GroupInstanceId is { } id && !_staticMembers.ContainsKey(id)))
            {
                // An unknown member id, or a static member whose instance id the group does not know:
                // the member resets its id and joins again.
                return Answer(JoinGroupResult.Error(GroupErrorCode.UnknownMemberId, request.MemberId));
            }

            member.SessionDeadlineMs = nowMs + member.SessionTimeoutMs;
            var changed = !member.SameProtocols(request.Protocols);
            switch (State)
            {
                case GroupState.PreparingRebalance:
                    member.Update(request);
                    break;
                case GroupState.CompletingRebalance when !changed:
                    // The member missed our join response: answer again with the current generation.
                    return Answer(JoinResultFor(member));
                case GroupState.Stable when !changed && member.MemberId != LeaderId:
                    // A follower with unchanged metadata: it may go straight to SyncGroup.
                    return Answer(JoinResultFor(member));
                case GroupState.CompletingRebalance or GroupState.Stable:
                    // New metadata, or the leader asking for a rebalance (for example because topic
                    // metadata changed, which member metadata does not show).
                    member.Update(request);
                    PrepareRebalanceLocked(nowMs, completions, changed ? "a member rejoined with new metadata" : "the leader rejoined");
                    break;
                default:
                    return Answer(JoinGroupResult.Error(GroupErrorCode.UnknownMemberId, request.MemberId));
            }
        }

        return AwaitJoinLocked(member, nowMs, completions);
    }

    /// <summary>Registers the member's JoinGroup as waiting for the rebalance and completes the rebalance if it can.</summary>
    private Task<JoinGroupResult> AwaitJoinLocked(GroupMember member, long nowMs, List<Action> completions)
    {
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

    /// <summary>
    /// A static member rejoined without its member id: it takes over its old entry under
    /// <paramref name="newMemberId"/> and the old id is fenced. A Stable group whose chosen protocol
    /// would not change stays Stable (no rebalance): the change is persisted and the member is answered
    /// at once with the current generation; it then gets its assignment from SyncGroup. The old leader id
    /// is returned even when the member was the leader, so it does not run an assignment the Stable group
    /// would ignore (Kafka's rule before JoinGroup v9).
    /// </summary>
    private Task<JoinGroupResult> ReplaceStaticMemberLocked(string oldMemberId, string newMemberId, JoinGroupRequestData request, long nowMs, List<Action> completions)
    {
        var currentLeader = LeaderId;
        var member = _members[oldMemberId];
        var previousJoin = member.LastJoin;
        RenameMemberLocked(member, newMemberId, completions);
        member.SessionDeadlineMs = nowMs + request.SessionTimeoutMs;
        member.Update(request);

        switch (State)
        {
            case GroupState.Stable when SelectProtocol() == ProtocolName:
                var error = PersistLocked(nowMs);
                if (error != GroupErrorCode.None)
                {
                    // Not stored: undo the replacement, so the old member id stays valid.
                    member.Update(previousJoin);
                    RenameMemberLocked(member, oldMemberId, completions);
                    return Answer(new JoinGroupResult(error, GenerationId, ProtocolName, currentLeader, "", []));
                }

                return Answer(new JoinGroupResult(GroupErrorCode.None, GenerationId, ProtocolName, currentLeader, newMemberId, []));
            case GroupState.Stable or GroupState.CompletingRebalance:
                // The member's assignment may change (its protocols changed, or an assignment is being made).
                PrepareRebalanceLocked(nowMs, completions, "a static member rejoined with a new member id");
                break;
        }

        return AwaitJoinLocked(member, nowMs, completions);
    }

    /// <summary>Moves a static member to another member id; whoever waits under the old id is fenced.</summary>
    private void RenameMemberLocked(GroupMember member, string newMemberId, List<Action> completions)
    {
        var oldMemberId = member.MemberId;
        _members.Remove(oldMemberId);
        if (member.PendingJoin is { } join)
        {
            member.PendingJoin = null;
            completions.Add(() => join.TrySetResult(JoinGroupResult.Error(GroupErrorCode.FencedInstanceId, oldMemberId)));
        }

        CompleteSync(member, SyncGroupResult.Error(GroupErrorCode.FencedInstanceId), completions);
        member.MemberId = newMemberId;
        _members[newMemberId] = member;
        if (LeaderId == oldMemberId)
        {
            LeaderId = newMemberId;
        }

        _staticMembers[member.GroupInstanceId!] = newMemberId;
    }

    private GroupMember AddMemberLocked(string memberId, JoinGroupRequestData request, long nowMs, List<Action> completions)
    {
        if (_members.Count == 0)
        {
            ProtocolType = request.ProtocolType;
        }

        var member = new GroupMember(memberId, request) { SessionDeadlineMs = nowMs + request.SessionTimeoutMs };
        _members[memberId] = member;
        if (member.GroupInstanceId is { } instanceId)
        {
            _staticMembers[instanceId] = memberId;
        }

        PrepareRebalanceLocked(nowMs, completions, "a member joined");
        return member;
    }

    /// <summary>Kafka's check: an empty group takes any protocol type with at least one protocol; otherwise the type must match and one protocol must be supported by every member.</summary>
    private bool SupportsProtocols(JoinGroupRequestData request)
    {
        if (request.Protocols.Count == 0 || string.IsNullOrEmpty(request.ProtocolType))
        {
            return false;
        }

        if (_members.Count == 0)
        {
            return true;
        }

        if (request.ProtocolType != ProtocolType)
        {
            return false;
        }

        foreach (var protocol in request.Protocols)
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

    /// <summary>Whether the caller names a static instance that now belongs to another member id (it was replaced).</summary>
    private bool IsFenced(string? groupInstanceId, string memberId) =>
        groupInstanceId is not null && _staticMembers.TryGetValue(groupInstanceId, out var current) && current != memberId;

    /// <summary>Kafka's validation of a member's identity for SyncGroup-like calls: fenced, unknown, or NONE.</summary>
    private short ValidateMemberLocked(string memberId, string? groupInstanceId)
    {
        if (groupInstanceId is not null)
        {
            return !_staticMembers.TryGetValue(groupInstanceId, out var current) ? GroupErrorCode.UnknownMemberId
                : current != memberId ? GroupErrorCode.FencedInstanceId
                : GroupErrorCode.None;
        }

        return _members.ContainsKey(memberId) ? GroupErrorCode.None : GroupErrorCode.UnknownMemberId;
    }

    private void TransitionLocked(GroupState state, long nowMs)
    {
        State = state;
        _stateTimestampMs = nowMs;
    }

    /// <param name="reason">Why, for the log: what changed in the group.</param>
    private void PrepareRebalanceLocked(long nowMs, List<Action> completions, string reason)
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
            _logger.GroupRebalancing(GroupId, GenerationId, _members.Count, reason);
            _rebalanceDeadlineMs = nowMs + maxRebalanceTimeout;
            TransitionLocked(GroupState.PreparingRebalance, nowMs);
        }
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
                RemoveMemberLocked(member, GroupErrorCode.UnknownMemberId, completions, "it did not rejoin within the rebalance timeout");
            }
        }

        GenerationId++;
        if (_members.Count == 0)
        {
            TransitionLocked(GroupState.Empty, nowMs);
            ProtocolName = "";
            LeaderId = "";
            _logger.GroupGenerationFormed(GroupId, GenerationId, 0, "", "", "");

            // As Kafka does, the empty generation is stored, so a restart does not bring back members
            // that have all left. A failure only means an older record is reloaded; its members then
            // miss their session timeouts and are removed.
            PersistLocked(nowMs);
            return;
        }

        ProtocolName = SelectProtocol();
        if (!_members.ContainsKey(LeaderId))
        {
            LeaderId = _members.Keys.First();
        }

        TransitionLocked(GroupState.CompletingRebalance, nowMs);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.GroupGenerationFormed(GroupId, GenerationId, _members.Count, string.Join(", ", _members.Keys), ProtocolName, LeaderId);
        }

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
        if (candidates.Count == 0)
        {
            return "";
        }

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
    public Task<SyncGroupResult> Sync(string memberId, string? groupInstanceId, int generationId, IReadOnlyDictionary<string, byte[]>? leaderAssignments, long nowMs)
    {
        var completions = new List<Action>();
        Task<SyncGroupResult> result;
        lock (_lock)
        {
            result = SyncLocked(memberId, groupInstanceId, generationId, leaderAssignments, nowMs, completions);
        }

        RunAll(completions);
        return result;
    }

    private Task<SyncGroupResult> SyncLocked(string memberId, string? groupInstanceId, int generationId, IReadOnlyDictionary<string, byte[]>? leaderAssignments, long nowMs, List<Action> completions)
    {
        if (State == GroupState.Dead)
        {
            return Answer(SyncGroupResult.Error(GroupErrorCode.CoordinatorNotAvailable));
        }

        if (IsFenced(groupInstanceId, memberId))
        {
            return Answer(SyncGroupResult.Error(GroupErrorCode.FencedInstanceId));
        }

        if (!_members.TryGetValue(memberId, out var member))
        {
            return Answer(SyncGroupResult.Error(GroupErrorCode.UnknownMemberId));
        }

        if (generationId != GenerationId)
        {
            return Answer(SyncGroupResult.Error(GroupErrorCode.IllegalGeneration));
        }

        switch (State)
        {
            case GroupState.PreparingRebalance:
                return Answer(SyncGroupResult.Error(GroupErrorCode.RebalanceInProgress));
            case GroupState.Stable:
                member.SessionDeadlineMs = nowMs + member.SessionTimeoutMs;
                return Answer(new SyncGroupResult(GroupErrorCode.None, member.Assignment));
            case GroupState.CompletingRebalance:
                member.SessionDeadlineMs = nowMs + member.SessionTimeoutMs;
                var waiter = new TaskCompletionSource<SyncGroupResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                var superseded = member.PendingSync;
                member.PendingSync = waiter;
                if (superseded is not null)
                {
                    completions.Add(() => superseded.TrySetResult(SyncGroupResult.Error(GroupErrorCode.RebalanceInProgress)));
                }

                if (memberId == LeaderId && leaderAssignments is not null)
                {
                    CompleteGenerationLocked(leaderAssignments, nowMs, completions);
                }

                return waiter.Task;
            default:
                return Answer(SyncGroupResult.Error(GroupErrorCode.UnknownMemberId));
        }
    }

    /// <summary>
    /// The leader's assignment arrived: store the generation, then hand every member its part. If the
    /// store fails, every waiting member gets the error and the group rebalances, as in Kafka.
    /// </summary>
    private void CompleteGenerationLocked(IReadOnlyDictionary<string, byte[]> leaderAssignments, long nowMs, List<Action> completions)
    {
        foreach (var other in _members.Values)
        {
            other.Assignment = leaderAssignments.TryGetValue(other.MemberId, out var assignment) ? assignment : [];
        }

        var error = PersistLocked(nowMs, GroupState.Stable);
        if (error != GroupErrorCode.None)
        {
            foreach (var other in _members.Values)
            {
                other.Assignment = [];
                CompleteSync(other, SyncGroupResult.Error(error), completions);
            }

            PrepareRebalanceLocked(nowMs, completions, $"storing generation {GenerationId} failed (error {error})");
            return;
        }

        TransitionLocked(GroupState.Stable, nowMs);
        foreach (var other in _members.Values)
        {
            CompleteSync(other, new SyncGroupResult(GroupErrorCode.None, other.Assignment), completions);
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

    /// <summary>Keeps a member alive; tells it to rejoin when a rebalance is under way (Kafka's order of checks).</summary>
    public short Heartbeat(string memberId, string? groupInstanceId, int generationId, long nowMs)
    {
        lock (_lock)
        {
            if (State == GroupState.Dead)
            {
                return GroupErrorCode.CoordinatorNotAvailable;
            }

            if (IsFenced(groupInstanceId, memberId))
            {
                return GroupErrorCode.FencedInstanceId;
            }

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

    /// <summary>
    /// Removes members; returns an error code per member. An entry with an empty member id removes the
    /// static member with that instance id (the administrative form); otherwise the member id must be
    /// known, and an instance id given with it must still belong to it (else FENCED_INSTANCE_ID).
    /// </summary>
    public IReadOnlyList<short> Leave(IReadOnlyList<(string MemberId, string? GroupInstanceId)> leaving, long nowMs)
    {
        var completions = new List<Action>();
        var results = new short[leaving.Count];
        lock (_lock)
        {
            if (State == GroupState.Dead)
            {
                Array.Fill(results, GroupErrorCode.CoordinatorNotAvailable);
                return results;
            }

            var removed = false;
            for (var i = 0; i < leaving.Count; i++)
            {
                var (memberId, instanceId) = leaving[i];
                if (memberId.Length == 0)
                {
                    if (instanceId is not null && _staticMembers.TryGetValue(instanceId, out var current))
                    {
                        RemoveMemberLocked(_members[current], GroupErrorCode.UnknownMemberId, completions, "it left the group");
                        results[i] = GroupErrorCode.None;
                        removed = true;
                    }
                    else
                    {
                        results[i] = GroupErrorCode.UnknownMemberId;
                    }

                    continue;
                }

                if (_pendingMemberIds.Remove(memberId))
                {
                    results[i] = GroupErrorCode.None;
                    continue;
                }

                results[i] = ValidateMemberLocked(memberId, instanceId);
                if (results[i] == GroupErrorCode.None)
                {
                    RemoveMemberLocked(_members[memberId], GroupErrorCode.UnknownMemberId, completions, "it left the group");
                    removed = true;
                }
            }

            if (removed)
            {
                AfterMembershipChangeLocked(nowMs, completions, "members left");
            }
        }

        RunAll(completions);
        return results;
    }

    /// <param name="reason">Why, for the log.</param>
    private void RemoveMemberLocked(GroupMember member, short errorForWaiters, List<Action> completions, string reason)
    {
        _logger.GroupMemberRemoved(GroupId, member.MemberId, reason);
        _members.Remove(member.MemberId);
        if (member.GroupInstanceId is { } instanceId && _staticMembers.TryGetValue(instanceId, out var current) && current == member.MemberId)
        {
            _staticMembers.Remove(instanceId);
        }

        if (member.PendingJoin is { } join)
        {
            member.PendingJoin = null;
            completions.Add(() => join.TrySetResult(JoinGroupResult.Error(errorForWaiters, member.MemberId)));
        }

        CompleteSync(member, SyncGroupResult.Error(errorForWaiters), completions);
    }

    private void AfterMembershipChangeLocked(long nowMs, List<Action> completions, string reason)
    {
        switch (State)
        {
            case GroupState.Stable or GroupState.CompletingRebalance:
                PrepareRebalanceLocked(nowMs, completions, reason);
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
            if (State == GroupState.Dead)
            {
                return;
            }

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
                RemoveMemberLocked(member, GroupErrorCode.UnknownMemberId, completions, $"its session of {member.SessionTimeoutMs} ms expired");
            }

            if (expired.Count > 0)
            {
                AfterMembershipChangeLocked(nowMs, completions, "member sessions expired");
            }

            if (State == GroupState.PreparingRebalance)
            {
                TryCompleteJoinLocked(nowMs, expired: nowMs >= _rebalanceDeadlineMs, completions);
            }
        }

        RunAll(completions);
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
        GroupState.Dead => "Dead",
        _ => "Empty",
    };

    private static Task<T> Answer<T>(T result) => Task.FromResult(result);

    private static void RunAll(List<Action> completions)
    {
        foreach (var completion in completions)
        {
            completion();
        }
    }
}
