using Freshet.Kafka.Protocol;

namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// A member of a Kafka group under the classic group protocol, written on Freshet's codec so that the group leader
/// can run Freshet's own assignor (what Confluent.Kafka cannot plug in): it finds the group's coordinator, joins
/// (JoinGroup; the leader computes every member's assignment through <see cref="IGroupMemberListener.Assign"/>),
/// syncs (SyncGroup), heartbeats, rejoins when the coordinator starts a rebalance, and leaves.
/// </summary>
/// <remarks>
/// <para>
/// Lifecycle: <see cref="StartAsync"/> connects to a bootstrap broker and agrees API versions (so an unreachable
/// cluster or one too old fails there, with a clear error); the member then joins and heartbeats on its own
/// background loop. <see cref="LeaveAsync(bool, CancellationToken)"/> stops it and tells the coordinator, so its
/// work moves at once; <see cref="DisposeAsync"/> stops it without a word, as a crash would, and the coordinator
/// removes it after the session timeout. <see cref="Completion"/> ends when the member has stopped: successfully
/// after either, or with a <see cref="GroupMembershipException"/> when the member was fenced, refused or its listener
/// failed.
/// </para>
/// <para>
/// Rebalancing is eager, as the classic protocol's default: the member revokes its whole assignment before it
/// rejoins, so an assignment is never held across generations. Errors are handled as Kafka's clients do
/// (<see cref="GroupErrorPolicy"/>): REBALANCE_IN_PROGRESS and ILLEGAL_GENERATION rejoin, UNKNOWN_MEMBER_ID rejoins
/// as a new member, a moved or unavailable coordinator (or a lost connection) is found again with exponential backoff,
/// FENCED_INSTANCE_ID and the other non-retriable codes stop the member.
/// </para>
/// <para>
/// Invariant (why an instance cut off from the cluster stops writing in time): the member holds an assignment only
/// on a lease of <see cref="GroupMemberOptions.SessionTimeout"/> less one <see cref="GroupMemberOptions.HeartbeatInterval"/>,
/// counted from when it <em>sent</em> the last heartbeat (or SyncGroup) that the coordinator answered without error;
/// when the lease runs out it revokes. The coordinator restarts the session when it receives that request, which is
/// after it was sent, and removes the member a full session timeout later, so the member revokes before the
/// coordinator can hand its work to another member; the heartbeat interval held back is the margin for the member's
/// own scheduling delays and the drift between the two clocks. (Output stays correct even when the margin is not
/// enough: exactly-once writes are fenced by their transactions; the lease keeps a cut-off instance from working on.)
/// </para>
/// <para>
/// Static membership (<see cref="GroupMemberOptions.GroupInstanceId"/>, KIP-345): every request carries the instance
/// id. A static member restarted within the session timeout gets its old assignment back without a rebalance (the
/// coordinator keeps the group's generation); a second process with the same instance id fences the first.
/// </para>
/// Thread-safety: <see cref="Generation"/>, <see cref="Completion"/> and <see cref="RequestRejoin"/> may be used from
/// any thread at any time; <see cref="StartAsync"/> once; <see cref="LeaveAsync(bool, CancellationToken)"/> and
/// <see cref="DisposeAsync"/> from any thread, the first call doing the work. The listener is called from the loop
/// only (see <see cref="IGroupMemberListener"/>); all connection and protocol state belongs to the loop.
/// </remarks>
internal sealed partial class GroupMember : IAsyncDisposable
{
    private readonly GroupMemberOptions _options;
    private readonly IGroupMemberListener _listener;
    private readonly IReadOnlyList<BrokerAddress> _bootstrap;
    private readonly IReadOnlyList<ApiVersionRange> _neededApis;
    private readonly KafkaConnectionOptions _connectionOptions;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stopping = new();
    private readonly WakeSignal _wake = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _stopLock = new();
    private int _started;
    private int _rejoinRequested;
    private Task _loop = Task.CompletedTask;
    private Task<bool>? _stop;
    private GroupGeneration? _generation;

    /// <summary>Creates a member; nothing is sent before <see cref="StartAsync"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range or malformed (a bad bootstrap list, say); the message names it.</exception>
    public GroupMember(GroupMemberOptions options, IGroupMemberListener listener)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(listener);
        _bootstrap = options.Validate();
        _options = options;
        _listener = listener;
        _neededApis = GroupMemberApis.Needed(options.GroupInstanceId is not null, options.CommitsOffsets);
        _connectionOptions = options.ConnectionOptions();
        _clock = options.Clock;
    }

    /// <summary>The generation of the assignment this member holds, or null while it holds none (joining, rebalancing, stopped).</summary>
    public GroupGeneration? Generation => Volatile.Read(ref _generation);

    /// <summary>
    /// Completes when the member has stopped: successfully after <see cref="LeaveAsync(bool, CancellationToken)"/> or
    /// <see cref="DisposeAsync"/>, faulted with a <see cref="GroupMembershipException"/> when it stopped on its own
    /// (fenced, refused by the coordinator, or its listener threw). Its assignment was revoked before.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Connects to the first reachable bootstrap broker, agrees API versions, and starts the member's loop, which
    /// joins the group in the background (the first assignment arrives through <see cref="IGroupMemberListener.OnAssigned"/>).
    /// </summary>
    /// <exception cref="KafkaConnectionException">No bootstrap broker could be reached within the connect timeout; the message names each.</exception>
    /// <exception cref="UnsupportedBrokerVersionException">The broker lacks an API version the member needs; the message names them.</exception>
    /// <exception cref="InvalidOperationException">The member was started or stopped before.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The group member was started before; a member runs once.");
        }

        lock (_stopLock)
        {
            if (_stop is not null)
            {
                throw new InvalidOperationException("The group member was stopped; a member runs once.");
            }
        }

        var connection = await KafkaConnection.ConnectAnyAsync(_bootstrap, _neededApis, _connectionOptions, cancellationToken).ConfigureAwait(false);
        lock (_stopLock)
        {
            if (_stop is null)
            {
                _anyBroker = connection;
                _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
                return;
            }
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException("The group member was stopped while it started.");
    }

    /// <summary>
    /// Asks the loop to revoke the current assignment and join again, so the leader assigns anew with fresh metadata
    /// (after a restore finished, say). The rejoin happens at the loop's next step; a request during a join causes
    /// one more join once it completes. As in Kafka, the coordinator starts a new generation when the leader rejoins
    /// or a member's metadata changed; a follower that rejoins with the same metadata gets the current assignment back.
    /// </summary>
    public void RequestRejoin()
    {
        Volatile.Write(ref _rejoinRequested, 1);
        _wake.Set();
    }

    /// <summary>
    /// Graceful stop of a dynamic member: stops the loop, revokes the assignment and sends LeaveGroup, so the
    /// coordinator rebalances at once and the work moves without waiting for the session timeout. A static member
    /// stays in the group (see <see cref="LeaveAsync(bool, CancellationToken)"/>).
    /// </summary>
    /// <returns>Whether the coordinator confirmed the departure.</returns>
    public Task<bool> LeaveAsync(CancellationToken cancellationToken) => LeaveAsync(leaveGroupEvenIfStatic: false, cancellationToken);

    /// <summary>
    /// Stops the loop, revokes the assignment and, for a dynamic member or when <paramref name="leaveGroupEvenIfStatic"/>
    /// is set, sends LeaveGroup so the coordinator rebalances at once.
    /// </summary>
    /// <remarks>
    /// A static member does not leave by default, as in Kafka: the point of a group instance id is that a restart
    /// (a rolling upgrade) within the session timeout takes the old assignment back without a rebalance. Leaving
    /// anyway (Kafka Streams' <c>CloseOptions.leaveGroup(true)</c>) suits a member that will not come back (scaling
    /// in), whose work should move now rather than after the session timeout. LeaveGroup is best effort: if the
    /// coordinator cannot be reached within the request timeout, the session timeout removes the member anyway.
    /// </remarks>
    /// <param name="leaveGroupEvenIfStatic">Send LeaveGroup also for a static member.</param>
    /// <returns>Whether the coordinator confirmed the departure (false when none was sent or it failed).</returns>
    public Task<bool> LeaveAsync(bool leaveGroupEvenIfStatic, CancellationToken cancellationToken) =>
        StopAsync(leave: true, leaveGroupEvenIfStatic, cancellationToken);

    /// <summary>
    /// Stops the member without LeaveGroup, revoking its assignment, as a crash would from the group's point of view:
    /// the coordinator removes it after the session timeout (or a static member's restart takes its place).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(leave: false, leaveGroupEvenIfStatic: false, CancellationToken.None).ConfigureAwait(false);
    }

    private Task<bool> StopAsync(bool leave, bool leaveGroupEvenIfStatic, CancellationToken cancellationToken)
    {
        lock (_stopLock)
        {
            return _stop ??= StopCoreAsync(leave, leaveGroupEvenIfStatic, cancellationToken);
        }
    }

    private async Task<bool> StopCoreAsync(bool leave, bool leaveGroupEvenIfStatic, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _wake.Set();

        // The loop never throws: it ends on the stop token or completes Completion with its failure.
        await _loop.ConfigureAwait(false);
        var left = false;
        try
        {
            if (!_completion.Task.IsCompleted)
            {
                if (Generation is not null)
                {
                    Revoke(leave ? "the member is leaving the group" : "the member stopped");
                }

                if (leave && _memberId.Length > 0 && (_options.GroupInstanceId is null || leaveGroupEvenIfStatic))
                {
                    left = await SendLeaveGroupAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The listener failed in OnRevoked: the stop is not clean. (A caller that cancels the LeaveGroup gets
            // the cancellation; the member has stopped all the same.)
            _completion.TrySetException(ex);
            throw;
        }
        finally
        {
            await CloseConnectionsAsync().ConfigureAwait(false);
            _completion.TrySetResult();
            _stopping.Dispose();
        }

        return left;
    }
}
