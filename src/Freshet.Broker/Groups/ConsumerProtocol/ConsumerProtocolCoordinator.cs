using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Freshet.Log;

namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>
/// The coordinator of every consumer protocol group (KIP-848, ConsumerGroupHeartbeat) on this node,
/// beside the classic <see cref="GroupCoordinator"/>: a group id belongs to one protocol at a time,
/// and a heartbeat for a group the classic coordinator holds members of gets GROUP_ID_NOT_FOUND, as
/// in Kafka. Groups and their assignments live in memory only (committed offsets are durable, in the
/// log's group offset store like those of classic groups): after a restart members get
/// UNKNOWN_MEMBER_ID and rejoin.
/// <para>
/// Session and revocation deadlines are applied by a background loop every
/// <see cref="GroupCoordinator.TickInterval"/> on the injected clock, calling <see cref="Tick"/>.
/// </para>
/// Thread-safety: all members are safe from any thread; each group has its own lock.
/// </summary>
internal sealed class ConsumerProtocolCoordinator : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConsumerProtocolGroup> _groups = new(StringComparer.Ordinal);
    private readonly LogStore _store;
    private readonly GroupCoordinator _classic;
    private readonly TimeProvider _clock;
    private readonly DeadlineTicker? _ticker;

    /// <param name="store">The log whose topics members subscribe to.</param>
    /// <param name="classic">The classic coordinator, asked whether it holds a group of the same id.</param>
    /// <param name="settings">Heartbeat interval and session timeout.</param>
    /// <param name="clock">The clock of every deadline.</param>
    /// <param name="runTicker">Whether a background loop applies deadlines (tests call <see cref="Tick"/> instead).</param>
    public ConsumerProtocolCoordinator(LogStore store, GroupCoordinator classic, ConsumerProtocolSettings settings, TimeProvider clock, bool runTicker = true)
    {
        _store = store;
        _classic = classic;
        Settings = settings;
        _clock = clock;
        if (runTicker)
        {
            _ticker = new DeadlineTicker(clock, Tick);
        }
    }

    /// <summary>The protocol's settings.</summary>
    public ConsumerProtocolSettings Settings { get; }

    private long NowMs => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Handles a heartbeat that passed the request's shape checks.</summary>
    public ConsumerHeartbeatResult Heartbeat(ConsumerHeartbeatRequest request)
    {
        if (request.ServerAssignor is { } assignor && Settings.FindAssignor(assignor) is null)
        {
            return ConsumerHeartbeatResult.Error(GroupErrorCode.UnsupportedAssignor, $"ServerAssignor {assignor} is not supported; supported are uniform and range.");
        }

        ConsumerProtocolGroup? group;
        if (request.MemberEpoch == 0)
        {
            if (!_groups.TryGetValue(request.GroupId, out group) && _classic.Describe(request.GroupId, hasCommittedOffsets: false).Members.Count > 0)
            {
                return ConsumerHeartbeatResult.Error(GroupErrorCode.GroupIdNotFound, $"Group {request.GroupId} is not a consumer group.");
            }

            group ??= _groups.GetOrAdd(request.GroupId, id => new ConsumerProtocolGroup(id));
        }
        else if (!_groups.TryGetValue(request.GroupId, out group))
        {
            return ConsumerHeartbeatResult.Error(GroupErrorCode.UnknownMemberId, $"Member {request.MemberId} is not in group {request.GroupId}.");
        }

        return group.Heartbeat(request, NowMs, Settings, TryResolveTopic);
    }

    /// <summary>Whether a group of this id is a consumer protocol group with members.</summary>
    public bool HasMembers(string groupId) => _groups.TryGetValue(groupId, out var group) && group.HasMembers;

    /// <summary>
    /// The consumer protocol's OffsetCommit check (see <see cref="ConsumerProtocolGroup.CheckCommit"/>),
    /// or false when the group is not a consumer protocol group, whose commits the classic coordinator checks.
    /// </summary>
    public bool TryCheckCommit(string groupId, string memberId, int memberEpoch, short apiVersion, bool transactional, out short errorCode)
    {
        if (_groups.TryGetValue(groupId, out var group))
        {
            errorCode = group.CheckCommit(memberId, memberEpoch, apiVersion, transactional);
            return true;
        }

        errorCode = GroupErrorCode.None;
        return false;
    }

    /// <summary>Describes a consumer protocol group; false when there is none of that id.</summary>
    public bool TryDescribe(string groupId, out GroupDescription description)
    {
        if (_groups.TryGetValue(groupId, out var group))
        {
            description = group.Describe(Settings.DefaultAssignor);
            return true;
        }

        description = null!;
        return false;
    }

    /// <summary>Describes a consumer protocol group with its members' assignments; false when there is none of that id.</summary>
    public bool TryDescribeInDetail(string groupId, [NotNullWhen(true)] out ConsumerGroupDetail? detail)
    {
        detail = _groups.TryGetValue(groupId, out var group) ? group.DescribeInDetail(Settings.DefaultAssignor) : null;
        return detail is not null;
    }

    /// <summary>Every consumer protocol group, described.</summary>
    public IReadOnlyList<GroupDescription> ListGroups() => _groups.Values.Select(g => g.Describe(Settings.DefaultAssignor)).ToArray();

    /// <summary>Applies every group's deadlines at the clock's current time.</summary>
    public void Tick()
    {
        var now = NowMs;
        foreach (var group in _groups.Values)
        {
            group.Tick(now);
        }
    }

    private bool TryResolveTopic(string name, out SubscribedTopic topic)
    {
        if (_store.TryDescribeTopic(name, out var description))
        {
            topic = new SubscribedTopic(description.TopicId, description.Partitions.Count);
            return true;
        }

        topic = default;
        return false;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_ticker is not null)
        {
            await _ticker.DisposeAsync().ConfigureAwait(false);
        }
    }
}
