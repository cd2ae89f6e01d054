using System.Collections.Concurrent;
using Freshet.Log;

namespace Freshet.Broker.Groups;

/// <summary>
/// The coordinator of every classic consumer group on this node (JoinGroup, SyncGroup, Heartbeat,
/// LeaveGroup, OffsetCommit's membership check, DescribeGroups, ListGroups). Membership lives in
/// memory, as in Kafka after a coordinator moves: after a restart members rejoin; committed offsets
/// live in the log (<see cref="LogStore.GroupOffsets"/>) and survive.
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
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task? _ticker;

    public GroupCoordinator(TimeProvider clock, long initialRebalanceDelayMs, bool runTicker = true)
    {
        _clock = clock;
        _initialRebalanceDelayMs = initialRebalanceDelayMs;
        if (runTicker)
        {
            _ticker = Task.Run(TickLoopAsync);
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

        var group = _groups.GetOrAdd(request.GroupId, id => new ConsumerGroup(id, _initialRebalanceDelayMs));
        var clientId = string.IsNullOrEmpty(request.ClientId) ? "member" : request.ClientId;
        return group.Join(request, NowMs, () => $"{clientId}-{Guid.NewGuid()}");
    }

    public Task<SyncGroupResult> SyncGroupAsync(string groupId, string memberId, int generationId, IReadOnlyDictionary<string, byte[]>? assignments) =>
        _groups.TryGetValue(groupId, out var group)
            ? group.Sync(memberId, generationId, assignments, NowMs)
            : Task.FromResult(SyncGroupResult.Error(string.IsNullOrEmpty(groupId) ? GroupErrorCode.InvalidGroupId : GroupErrorCode.UnknownMemberId));

    public short Heartbeat(string groupId, string memberId, int generationId) =>
        _groups.TryGetValue(groupId, out var group)
            ? group.Heartbeat(memberId, generationId, NowMs)
            : string.IsNullOrEmpty(groupId) ? GroupErrorCode.InvalidGroupId : GroupErrorCode.UnknownMemberId;

    /// <summary>Removes members; returns a code per member (UNKNOWN_MEMBER_ID for every one if the group is unknown).</summary>
    public IReadOnlyList<short> LeaveGroup(string groupId, IReadOnlyList<(string MemberId, string? GroupInstanceId)> members) =>
        _groups.TryGetValue(groupId, out var group)
            ? group.Leave(members, NowMs)
            : members.Select(_ => GroupErrorCode.UnknownMemberId).ToArray();

    /// <summary>Whether an OffsetCommit from this member and generation may be stored (error code, or NONE).</summary>
    public short CheckCommit(string groupId, string memberId, int generationId)
    {
        if (string.IsNullOrEmpty(groupId))
        {
            return GroupErrorCode.InvalidGroupId;
        }

        if (_groups.TryGetValue(groupId, out var group))
        {
            return group.CheckCommit(memberId, generationId, NowMs);
        }

        // No live group: only a simple (standalone) commit is acceptable.
        return generationId < 0 ? GroupErrorCode.None : GroupErrorCode.IllegalGeneration;
    }

    /// <summary>Describes a group; an unknown one is reported as Empty with no members, as Kafka reports groups that have only offsets (or "Dead" when nothing is known).</summary>
    public GroupDescription Describe(string groupId, bool hasCommittedOffsets) =>
        _groups.TryGetValue(groupId, out var group)
            ? group.Describe()
            : new GroupDescription(groupId, hasCommittedOffsets ? "Empty" : "Dead", "", "", []);

    /// <summary>The live groups with their protocol type and state.</summary>
    public IReadOnlyList<GroupDescription> ListGroups() => _groups.Values.Select(g => g.Describe()).ToArray();

    /// <summary>Applies every group's deadlines at the clock's current time.</summary>
    public void Tick()
    {
        var now = NowMs;
        foreach (var group in _groups.Values)
        {
            group.Tick(now);
        }
    }

    private async Task TickLoopAsync()
    {
        using var timer = new PeriodicTimer(TickInterval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                Tick();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_ticker is not null)
        {
            await _ticker.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }
}
