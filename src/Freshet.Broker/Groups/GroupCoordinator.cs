using System.Collections.Concurrent;
using Freshet.Log;
using Freshet.Log.Groups;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Freshet.Broker.Groups;

/// <summary>
/// The coordinator of every classic consumer group on this node (JoinGroup, SyncGroup, Heartbeat,
/// LeaveGroup, the membership checks of OffsetCommit and TxnOffsetCommit, DescribeGroups, ListGroups,
/// and the DeleteGroups and OffsetDelete operations). Committed offsets and each group's metadata live
/// in the log (<see cref="LogStore.GroupOffsets"/>): a group's membership is written when a generation
/// completes and when it becomes empty, and reloaded when the coordinator starts, so a Stable group
/// resumes with its members after a restart (each gets a fresh session timeout to heartbeat in), as
/// after a Kafka coordinator failover.
/// <para>
/// Deadlines (session timeouts, rebalance timeouts, the initial rebalance delay) are applied by a
/// background loop every <see cref="TickInterval"/> on the injected clock, calling
/// <see cref="Tick"/>, which tests may also call directly.
/// </para>
/// Thread-safety: all members are safe from any thread; each group has its own lock.
/// </summary>
internal sealed class GroupCoordinator : IAsyncDisposable
{
    /// <summary>How often deadlines are checked.</summary>
    public static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Smallest session timeout accepted (Kafka's <c>group.min.session.timeout.ms</c> is 6000; lower here for tests).</summary>
    public const int MinSessionTimeoutMs = 1000;

    /// <summary>Largest session timeout accepted (Kafka's <c>group.max.session.timeout.ms</c>).</summary>
    public const int MaxSessionTimeoutMs = 1_800_000;

    private readonly ConcurrentDictionary<string, ConsumerGroup> _groups = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly long _initialRebalanceDelayMs;
    private readonly GroupOffsetStore? _store;
    private readonly DeadlineTicker? _ticker;
    private readonly ILogger _logger;

    /// <param name="clock">The clock of every deadline.</param>
    /// <param name="initialRebalanceDelayMs">Kafka's <c>group.initial.rebalance.delay.ms</c>.</param>
    /// <param name="store">Where offsets and group metadata are stored; the groups stored there are resumed. Null keeps groups in memory only.</param>
    /// <param name="runTicker">Whether a background loop applies deadlines (tests call <see cref="Tick"/> instead).</param>
    /// <param name="logger">Receives every group's rebalances and membership changes; null logs nothing.</param>
    public GroupCoordinator(TimeProvider clock, long initialRebalanceDelayMs, GroupOffsetStore? store = null, bool runTicker = true, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _clock = clock;
        _initialRebalanceDelayMs = initialRebalanceDelayMs;
        _store = store;
        if (store is not null)
        {
            var now = NowMs;
            foreach (var (groupId, metadata) in store.ListGroupMetadata())
            {
                _groups[groupId] = ConsumerGroup.Restore(groupId, metadata, initialRebalanceDelayMs, store, now, _logger);
            }
        }

        if (runTicker)
        {
            _ticker = new DeadlineTicker(clock, Tick);
        }
    }

    private long NowMs => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    public Task<JoinGroupResult> JoinGroupAsync(JoinGroupRequestData request)
    {
        if (string.IsNullOrEmpty(request.GroupId))
        {
            return Task.FromResult(JoinGroupResult.Error(GroupErrorCode.InvalidGroupId, request.MemberId));
        }

        if (request.SessionTimeoutMs < MinSessionTimeoutMs || request.SessionTimeoutMs > MaxSessionTimeoutMs)
        {
            return Task.FromResult(JoinGroupResult.Error(GroupErrorCode.InvalidSessionTimeout, request.MemberId));
        }

        ConsumerGroup? group;
        if (request.MemberId.Length == 0)
        {
            group = _groups.GetOrAdd(request.GroupId, NewGroup);
        }
        else if (!_groups.TryGetValue(request.GroupId, out group))
        {
            // A member id for a group that does not exist (for example one deleted meanwhile): reset and join anew.
            return Task.FromResult(JoinGroupResult.Error(GroupErrorCode.UnknownMemberId, request.MemberId));
        }

        var clientId = string.IsNullOrEmpty(request.ClientId) ? "member" : request.ClientId;
        return group.Join(request, NowMs, () => $"{clientId}-{Guid.NewGuid()}");
    }

    private ConsumerGroup NewGroup(string groupId) => new(groupId, _initialRebalanceDelayMs, _store, _logger);

    public Task<SyncGroupResult> SyncGroupAsync(string groupId, string memberId, string? groupInstanceId, int generationId, IReadOnlyDictionary<string, byte[]>? assignments) =>
        _groups.TryGetValue(groupId, out var group)
            ? group.Sync(memberId, groupInstanceId, generationId, assignments, NowMs)
            : Task.FromResult(SyncGroupResult.Error(string.IsNullOrEmpty(groupId) ? GroupErrorCode.InvalidGroupId : GroupErrorCode.UnknownMemberId));

    public short Heartbeat(string groupId, string memberId, string? groupInstanceId, int generationId) =>
        _groups.TryGetValue(groupId, out var group)
            ? group.Heartbeat(memberId, groupInstanceId, generationId, NowMs)
            : string.IsNullOrEmpty(groupId) ? GroupErrorCode.InvalidGroupId : GroupErrorCode.UnknownMemberId;

    /// <summary>Removes members; returns a code per member (UNKNOWN_MEMBER_ID for every one if the group is unknown).</summary>
    public IReadOnlyList<short> LeaveGroup(string groupId, IReadOnlyList<(string MemberId, string? GroupInstanceId)> members) =>
        _groups.TryGetValue(groupId, out var group)
            ? group.Leave(members, NowMs)
            : members.Select(_ => GroupErrorCode.UnknownMemberId).ToArray();

    /// <summary>
    /// Whether an OffsetCommit from this member may be stored (error code, or NONE), with Kafka's rules
    /// (see <see cref="ConsumerGroup.CheckCommit"/>). A group the coordinator does not know accepts only
    /// a commit without a generation (-1): it is not managed by the coordinator; any other gets ILLEGAL_GENERATION.
    /// </summary>
    public short CheckCommit(string groupId, string memberId, string? groupInstanceId, int generationId)
    {
        if (string.IsNullOrEmpty(groupId))
        {
            return GroupErrorCode.InvalidGroupId;
        }

        if (_groups.TryGetValue(groupId, out var group))
        {
            return group.CheckCommit(memberId, groupInstanceId, generationId, transactional: false, NowMs);
        }

        return generationId < 0 ? GroupErrorCode.None : GroupErrorCode.IllegalGeneration;
    }

    /// <summary>
    /// Whether a TxnOffsetCommit's member (v3: generation, member id, instance id; older versions send
    /// -1 and no member, which always passes) may commit. An unknown group counts as Empty, as in Kafka.
    /// </summary>
    public short CheckTxnCommit(string groupId, string memberId, string? groupInstanceId, int generationId)
    {
        if (string.IsNullOrEmpty(groupId))
        {
            return GroupErrorCode.InvalidGroupId;
        }

        if (_groups.TryGetValue(groupId, out var group))
        {
            return group.CheckCommit(memberId, groupInstanceId, generationId, transactional: true, NowMs);
        }

        return generationId < 0 && memberId.Length == 0 && groupInstanceId is null ? GroupErrorCode.None : GroupErrorCode.UnknownMemberId;
    }

    /// <summary>
    /// Deletes groups (Kafka's DeleteGroups): an Empty group, or one known only by its committed offsets,
    /// loses its offsets and metadata durably (tombstones in the log) and is forgotten. Returns one code per
    /// group: NONE, NON_EMPTY_GROUP (68) while it has members, GROUP_ID_NOT_FOUND (69) when nothing is
    /// known about it, INVALID_GROUP_ID (24) for an empty id, or COORDINATOR_NOT_AVAILABLE (15) when the
    /// log refused the tombstones (the group is then left as it was).
    /// </summary>
    public IReadOnlyList<short> DeleteGroups(IReadOnlyList<string> groupIds)
    {
        var results = new short[groupIds.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = DeleteGroup(groupIds[i]);
        }

        return results;
    }

    private short DeleteGroup(string groupId)
    {
        if (string.IsNullOrEmpty(groupId))
        {
            return GroupErrorCode.InvalidGroupId;
        }

        if (!_groups.TryGetValue(groupId, out var group))
        {
            if (_store is null || (_store.FetchAll(groupId).Count == 0 && !_store.TryGetGroupMetadata(groupId, out _)))
            {
                return GroupErrorCode.GroupIdNotFound;
            }

            // Known only by what is stored: an Empty group, as Kafka loads it. Registering it first makes a
            // concurrent JoinGroup wait for the outcome instead of racing the tombstones.
            group = _groups.GetOrAdd(groupId, NewGroup);
        }

        var now = NowMs;
        var error = group.TryMarkDead(now);
        if (error != GroupErrorCode.None)
        {
            return error;
        }

        try
        {
            _store?.DeleteGroup(groupId);
        }
        catch (Exception e) when (e is LogException or IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            group.ReviveEmpty(now);
            return GroupErrorCode.CoordinatorNotAvailable;
        }

        // Only after the tombstones: a JoinGroup meanwhile got COORDINATOR_NOT_AVAILABLE from the Dead
        // group and retries; from now on it creates a new group.
        _groups.TryRemove(new KeyValuePair<string, ConsumerGroup>(groupId, group));
        return GroupErrorCode.None;
    }

    /// <summary>
    /// Deletes committed offsets of some partitions of a group (Kafka's OffsetDelete, KIP-496). The group
    /// must exist (GROUP_ID_NOT_FOUND); a group with members of another protocol type than "consumer"
    /// gets NON_EMPTY_GROUP; otherwise each partition gets NONE (its offset is gone, or it had none) or
    /// GROUP_SUBSCRIBED_TO_TOPIC (86) when a member is subscribed to its topic. Whether the topics exist
    /// is the caller's check (Kafka answers UNKNOWN_TOPIC_OR_PARTITION for those before asking the coordinator).
    /// </summary>
    public OffsetDeleteResult DeleteOffsets(string groupId, IReadOnlyList<(string Topic, int Partition)> partitions)
    {
        if (string.IsNullOrEmpty(groupId))
        {
            return new OffsetDeleteResult(GroupErrorCode.InvalidGroupId, []);
        }

        var subscribed = new bool[partitions.Count];
        if (_groups.TryGetValue(groupId, out var group))
        {
            var topics = partitions.Select(p => p.Topic).ToArray();
            var error = group.CheckOffsetDelete(topics, out subscribed);
            if (error != GroupErrorCode.None)
            {
                return new OffsetDeleteResult(error, []);
            }
        }
        else if (_store is null || _store.FetchAll(groupId).Count == 0)
        {
            return new OffsetDeleteResult(GroupErrorCode.GroupIdNotFound, []);
        }

        var eligible = new List<(string Topic, int Partition)>();
        var codes = new short[partitions.Count];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = subscribed[i] ? GroupErrorCode.GroupSubscribedToTopic : GroupErrorCode.None;
            if (!subscribed[i])
            {
                eligible.Add(partitions[i]);
            }
        }

        if (eligible.Count > 0 && _store is not null)
        {
            try
            {
                _store.DeleteOffsets(groupId, eligible);
            }
            catch (Exception e) when (e is LogException or IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                return new OffsetDeleteResult(GroupErrorCode.CoordinatorNotAvailable, []);
            }
        }

        return new OffsetDeleteResult(GroupErrorCode.None, codes);
    }

    /// <summary>Describes a group; an unknown one is reported as Empty with no members, as Kafka reports groups that have only offsets (or "Dead" when nothing is known).</summary>
    public GroupDescription Describe(string groupId, bool hasCommittedOffsets) =>
        _groups.TryGetValue(groupId, out var group)
            ? group.Describe()
            : new GroupDescription(groupId, hasCommittedOffsets ? "Empty" : "Dead", "", "", []);

    /// <summary>The live groups with their protocol type and state (deleted ones excluded).</summary>
    public IReadOnlyList<GroupDescription> ListGroups() => _groups.Values.Select(g => g.Describe()).Where(g => g.State != "Dead").ToArray();
    /// <summary>Applies every group's deadlines at the clock's current time.</summary>
    public void Tick()
    {
        var now = NowMs;
        foreach (var group in _groups.Values)
        {
            group.Tick(now);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ticker is not null)
        {
            await _ticker.DisposeAsync().ConfigureAwait(false);
        }
    }
}
