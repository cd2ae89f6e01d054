using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Streaming.Application.Membership;

/// <summary>The member's requests: the JoinGroup/SyncGroup round, Heartbeat, and LeaveGroup.</summary>
internal sealed partial class GroupMember
{
    // JoinGroup waits for every member to rejoin, up to the rebalance timeout; Kafka's clients allow 5 s more
    // before they give up on the answer.
    private static readonly TimeSpan JoinGroupLapse = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Revokes what the member holds, then joins until it has an assignment: JoinGroup (again with the given id after
    /// MEMBER_ID_REQUIRED), the leader's assignment, SyncGroup, <see cref="IGroupMemberListener.OnAssigned"/>.
    /// </summary>
    private async Task JoinGroupAsync(KafkaConnection coordinator, ExponentialBackoff backoff, CancellationToken stop)
    {
        if (Generation is not null)
        {
            Revoke("the application asked to rejoin the group");
        }

        var joinTimeout = _options.RequestTimeout > _options.RebalanceTimeout + JoinGroupLapse ? _options.RequestTimeout : _options.RebalanceTimeout + JoinGroupLapse;
        var refusals = 0;
        while (true)
        {
            // From the second refusal in a row on, wait first, so a coordinator that keeps refusing is not asked in
            // a tight loop; the usual single MEMBER_ID_REQUIRED, REBALANCE_IN_PROGRESS or UNKNOWN_MEMBER_ID is
            // answered at once.
            if (refusals > 1)
            {
                await WaitBeforeRetryAsync(backoff.Next(), stop).ConfigureAwait(false);
            }

            // A rejoin request from now on needs a join after this one: the metadata below predates it.
            Interlocked.Exchange(ref _rejoinRequested, 0);
            var join = await coordinator.SendAsync<JoinGroupRequest, JoinGroupResponse>(JoinRequest(), joinTimeout, stop).ConfigureAwait(false);
            if (join.ErrorCode == KafkaErrorCode.MemberIdRequired)
            {
                // KIP-394: the coordinator hands out the id first; join again at once with it.
                _memberId = join.MemberId;
                refusals++;
                continue;
            }

            if (MustRejoin(join.ErrorCode, "JoinGroup"))
            {
                refusals++;
                continue;
            }

            _memberId = join.MemberId;
            var assignments = join.Leader == join.MemberId ? Assign(join.Members) : [];
            var syncSent = _clock.GetTimestamp();
            var sync = await coordinator.SendAsync<SyncGroupRequest, SyncGroupResponse>(SyncRequest(join.GenerationId, assignments), _options.RequestTimeout, stop).ConfigureAwait(false);
            if (MustRejoin(sync.ErrorCode, "SyncGroup"))
            {
                refusals++;
                continue;
            }

            _sessionAnchor = syncSent;
            _lastHeartbeatSent = syncSent;
            var generation = new GroupGeneration(join.GenerationId, _memberId, _options.GroupInstanceId);
            Volatile.Write(ref _generation, generation);
            _listener.OnAssigned(generation, sync.Assignment);
            return;
        }
    }

    /// <summary>
    /// Acts on the error code of a JoinGroup or SyncGroup answer: false when there is none; true when the member
    /// must join again (with its id reset after UNKNOWN_MEMBER_ID); throws for a moved coordinator and for fatal codes.
    /// </summary>
    private bool MustRejoin(short errorCode, string api)
    {
        switch (GroupErrorPolicy.Classify(errorCode))
        {
            case GroupErrorAction.None:
                return false;
            case GroupErrorAction.RejoinAsNewMember:
                _memberId = "";
                return true;
            case GroupErrorAction.Rejoin:
                return true;
            case GroupErrorAction.FindCoordinator:
                throw new CoordinatorUnavailableException($"{api} for group \"{_options.GroupId}\" answered {KafkaErrorCode.Describe(errorCode)}.");
            default:
                throw new GroupMembershipException(GroupErrorPolicy.FatalMessage(errorCode, api, _options), errorCode);
        }
    }

    private JoinGroupRequest JoinRequest() => new()
    {
        GroupId = _options.GroupId,
        SessionTimeoutMs = (int)_options.SessionTimeout.TotalMilliseconds,
        RebalanceTimeoutMs = (int)_options.RebalanceTimeout.TotalMilliseconds,
        MemberId = _memberId,
        GroupInstanceId = _options.GroupInstanceId,
        ProtocolType = _options.ProtocolType,
        Protocols = [new JoinGroupRequestProtocol { Name = _options.ProtocolName, Metadata = _listener.SubscriptionMetadata() }],
    };

    private SyncGroupRequest SyncRequest(int generationId, SyncGroupRequestAssignment[] assignments) => new()
    {
        GroupId = _options.GroupId,
        GenerationId = generationId,
        MemberId = _memberId,
        GroupInstanceId = _options.GroupInstanceId,
        Assignments = assignments,
    };

    /// <summary>The leader's step: every member's assignment from the listener, in SyncGroup's form.</summary>
    private SyncGroupRequestAssignment[] Assign(IReadOnlyList<JoinGroupResponseMember> joined)
    {
        var members = new GroupMemberMetadata[joined.Count];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = new GroupMemberMetadata(joined[i].MemberId, joined[i].GroupInstanceId, joined[i].Metadata);
        }

        var assignment = _listener.Assign(members);
        var result = new SyncGroupRequestAssignment[assignment.Count];
        var next = 0;
        foreach (var (memberId, bytes) in assignment)
        {
            result[next++] = new SyncGroupRequestAssignment { MemberId = memberId, Assignment = bytes };
        }

        return result;
    }

    /// <summary>Sends one heartbeat; a rebalance, a new generation or a forgotten member id revoke the assignment so the loop rejoins.</summary>
    private async Task HeartbeatAsync(KafkaConnection coordinator, CancellationToken stop)
    {
        var generation = Generation!;
        var request = new HeartbeatRequest
        {
            GroupId = _options.GroupId,
            GenerationId = generation.GenerationId,
            MemberId = _memberId,
            GroupInstanceId = _options.GroupInstanceId,
        };

        // An answer that arrives after the lease ran out is no use: the member revokes then (see the class remarks).
        var leaseLeft = LeaseLeft();
        var timeout = leaseLeft < _options.RequestTimeout ? leaseLeft : _options.RequestTimeout;
        if (timeout <= TimeSpan.Zero)
        {
            throw new CoordinatorUnavailableException("the lease on the assignment ran out before the next heartbeat could be sent");
        }

        var sent = _clock.GetTimestamp();
        _lastHeartbeatSent = sent;
        var response = await coordinator.SendAsync<HeartbeatRequest, HeartbeatResponse>(request, timeout, stop).ConfigureAwait(false);
        var action = GroupErrorPolicy.Classify(response.ErrorCode);
        switch (action)
        {
            case GroupErrorAction.None:
                _sessionAnchor = sent;
                return;
            case GroupErrorAction.Rejoin or GroupErrorAction.RejoinAsNewMember:
                if (response.ErrorCode == KafkaErrorCode.RebalanceInProgress)
                {
                    // The coordinator restarts the session before it answers that a rebalance is under way.
                    _sessionAnchor = sent;
                }

                if (action == GroupErrorAction.RejoinAsNewMember)
                {
                    _memberId = "";
                }

                Revoke($"the coordinator answered a heartbeat of generation {generation.GenerationId} with {KafkaErrorCode.Describe(response.ErrorCode)}");
                return;
            case GroupErrorAction.FindCoordinator:
                throw new CoordinatorUnavailableException($"Heartbeat for group \"{_options.GroupId}\" answered {KafkaErrorCode.Describe(response.ErrorCode)}.");
            default:
                throw new GroupMembershipException(GroupErrorPolicy.FatalMessage(response.ErrorCode, "Heartbeat", _options), response.ErrorCode);
        }
    }

    /// <summary>
    /// Sends LeaveGroup (v3+: this member as a one-entry list with its instance id; before: its member id), finding
    /// the coordinator once more if its connection is gone. Best effort: returns false instead of throwing when the
    /// coordinator cannot be reached or refuses, since the session timeout removes the member anyway.
    /// </summary>
    private async Task<bool> SendLeaveGroupAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.RequestTimeout, _clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var coordinator = await EnsureCoordinatorAsync(linked.Token).ConfigureAwait(false);
            var request = coordinator.Versions.VersionOf(Kafka.Protocol.ApiKeys.LeaveGroup) >= 3
                ? new LeaveGroupRequest { GroupId = _options.GroupId, Members = [new LeaveGroupRequestMember { MemberId = _memberId, GroupInstanceId = _options.GroupInstanceId }] }
                : new LeaveGroupRequest { GroupId = _options.GroupId, MemberId = _memberId };
            var response = await coordinator.SendAsync<LeaveGroupRequest, LeaveGroupResponse>(request, _options.RequestTimeout, linked.Token).ConfigureAwait(false);
            var memberError = response.Members.Count > 0 ? response.Members[0].ErrorCode : KafkaErrorCode.None;
            return response.ErrorCode == KafkaErrorCode.None && memberError == KafkaErrorCode.None;
        }
        catch (Exception ex) when (ex is KafkaConnectionException or CoordinatorUnavailableException or GroupMembershipException or UnsupportedBrokerVersionException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
