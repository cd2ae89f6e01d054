using Freshet.Broker.Groups;

namespace Freshet.Broker.Tests.Groups;

/// <summary>
/// The coordinator's state machine without sockets: a manual clock and explicit <c>Tick</c> calls
/// make every deadline deterministic.
/// </summary>
public sealed class GroupCoordinatorTests : IAsyncDisposable
{
    private readonly ManualClock _clock = new();
    private readonly GroupCoordinator _coordinator;

    public GroupCoordinatorTests()
    {
        _coordinator = new GroupCoordinator(_clock, initialRebalanceDelayMs: 0, runTicker: false);
    }

    public ValueTask DisposeAsync() => _coordinator.DisposeAsync();

    private static JoinGroupRequestData Join(string memberId, string protocol = "range", byte[]? metadata = null, int sessionTimeoutMs = 10_000, int rebalanceTimeoutMs = 30_000, bool requireKnownMemberId = false, string protocolType = "consumer") =>
        new("g", memberId, null, "client", "/127.0.0.1", sessionTimeoutMs, rebalanceTimeoutMs, protocolType, [new MemberProtocol(protocol, metadata ?? [1])], requireKnownMemberId);

    private async Task<(JoinGroupResult A, JoinGroupResult B)> FormGroupOfTwoAsync()
    {
        var a = await _coordinator.JoinGroupAsync(Join(""));
        var sync = await _coordinator.SyncGroupAsync("g", a.MemberId, null, a.GenerationId, new Dictionary<string, byte[]> { [a.MemberId] = [7] });
        Assert.Equal(GroupErrorCode.None, sync.ErrorCode);

        var pendingB = _coordinator.JoinGroupAsync(Join(""));
        Assert.Equal(GroupErrorCode.RebalanceInProgress, _coordinator.Heartbeat("g", a.MemberId, null, a.GenerationId));
        var a2 = await _coordinator.JoinGroupAsync(Join(a.MemberId));
        var b = await pendingB;
        return (a2, b);
    }

    [Fact]
    public async Task JoinGroup_FirstMember_BecomesLeaderOfGenerationOne()
    {
        var result = await _coordinator.JoinGroupAsync(Join(""));

        Assert.Equal(GroupErrorCode.None, result.ErrorCode);
        Assert.Equal(1, result.GenerationId);
        Assert.Equal(result.MemberId, result.LeaderId);
        Assert.Single(result.Members);
        Assert.Equal("range", result.ProtocolName);
    }

    [Fact]
    public async Task JoinGroup_SecondMember_RebalancesAndOnlyTheLeaderSeesMembers()
    {
        var (a, b) = await FormGroupOfTwoAsync();

        Assert.Equal(2, a.GenerationId);
        Assert.Equal(a.GenerationId, b.GenerationId);
        Assert.Equal(a.MemberId, a.LeaderId);
        Assert.Equal(2, a.Members.Count);
        Assert.Empty(b.Members);
    }

    [Fact]
    public async Task SyncGroup_LeaderAssigns_FollowerWaitsThenGetsItsAssignment()
    {
        var (a, b) = await FormGroupOfTwoAsync();

        var follower = _coordinator.SyncGroupAsync("g", b.MemberId, null, b.GenerationId, new Dictionary<string, byte[]>());
        Assert.False(follower.IsCompleted);
        var leader = await _coordinator.SyncGroupAsync("g", a.MemberId, null, a.GenerationId, new Dictionary<string, byte[]> { [a.MemberId] = [1], [b.MemberId] = [2] });

        Assert.Equal([1], leader.Assignment);
        Assert.Equal([2], (await follower).Assignment);
        Assert.Equal("Stable", _coordinator.Describe("g", false).State);
    }

    [Fact]
    public async Task JoinGroup_V4WithoutMemberId_MemberIdRequiredThenAccepted()
    {
        var first = await _coordinator.JoinGroupAsync(Join("", requireKnownMemberId: true));
        Assert.Equal(GroupErrorCode.MemberIdRequired, first.ErrorCode);
        Assert.NotEmpty(first.MemberId);

        var second = await _coordinator.JoinGroupAsync(Join(first.MemberId, requireKnownMemberId: true));

        Assert.Equal(GroupErrorCode.None, second.ErrorCode);
        Assert.Equal(first.MemberId, second.MemberId);
    }

    [Fact]
    public async Task JoinGroup_UnknownMemberId_Rejected()
    {
        var result = await _coordinator.JoinGroupAsync(Join("nobody"));

        Assert.Equal(GroupErrorCode.UnknownMemberId, result.ErrorCode);
    }

    [Fact]
    public async Task JoinGroup_NoCommonProtocol_InconsistentGroupProtocol()
    {
        await _coordinator.JoinGroupAsync(Join("", protocol: "range"));

        var other = await _coordinator.JoinGroupAsync(Join("", protocol: "roundrobin"));

        Assert.Equal(GroupErrorCode.InconsistentGroupProtocol, other.ErrorCode);
    }

    [Fact]
    public async Task JoinGroup_SessionTimeoutTooSmall_InvalidSessionTimeout()
    {
        var result = await _coordinator.JoinGroupAsync(Join("", sessionTimeoutMs: 10));

        Assert.Equal(GroupErrorCode.InvalidSessionTimeout, result.ErrorCode);
    }

    [Fact]
    public async Task Rebalance_MemberDoesNotRejoinBeforeRebalanceTimeout_RemovedAndOthersProceed()
    {
        var (a, b) = await FormGroupOfTwoAsync();
        await Task.WhenAll(
            _coordinator.SyncGroupAsync("g", b.MemberId, null, b.GenerationId, new Dictionary<string, byte[]>()),
            _coordinator.SyncGroupAsync("g", a.MemberId, null, a.GenerationId, new Dictionary<string, byte[]>()));

        // A third member triggers a rebalance; b never rejoins.
        var c = _coordinator.JoinGroupAsync(Join(""));
        var a3 = _coordinator.JoinGroupAsync(Join(a.MemberId));
        _clock.Advance(5_000);
        _coordinator.Tick();
        Assert.False(c.IsCompleted);

        _clock.Advance(30_000);
        _coordinator.Tick();

        var leader = await a3;
        Assert.Equal(GroupErrorCode.None, leader.ErrorCode);
        Assert.Equal(2, leader.Members.Count);
        Assert.DoesNotContain(leader.Members, m => m.MemberId == b.MemberId);
        Assert.Equal(GroupErrorCode.UnknownMemberId, _coordinator.Heartbeat("g", b.MemberId, null, leader.GenerationId));
        Assert.Equal(GroupErrorCode.None, (await c).ErrorCode);
    }

    [Fact]
    public async Task Heartbeat_SessionExpires_MemberRemovedAndGroupRebalances()
    {
        var (a, b) = await FormGroupOfTwoAsync();
        await Task.WhenAll(
            _coordinator.SyncGroupAsync("g", b.MemberId, null, b.GenerationId, new Dictionary<string, byte[]>()),
            _coordinator.SyncGroupAsync("g", a.MemberId, null, a.GenerationId, new Dictionary<string, byte[]>()));

        _clock.Advance(6_000);
        Assert.Equal(GroupErrorCode.None, _coordinator.Heartbeat("g", a.MemberId, null, a.GenerationId));
        _clock.Advance(6_000);
        _coordinator.Tick();

        Assert.Equal(GroupErrorCode.UnknownMemberId, _coordinator.Heartbeat("g", b.MemberId, null, b.GenerationId));
        Assert.Equal(GroupErrorCode.RebalanceInProgress, _coordinator.Heartbeat("g", a.MemberId, null, a.GenerationId));
        var rejoined = await _coordinator.JoinGroupAsync(Join(a.MemberId));
        Assert.Equal(a.GenerationId + 1, rejoined.GenerationId);
        Assert.Single(rejoined.Members);
    }

    [Fact]
    public async Task SyncGroup_WrongGeneration_IllegalGeneration()
    {
        var a = await _coordinator.JoinGroupAsync(Join(""));

        var result = await _coordinator.SyncGroupAsync("g", a.MemberId, null, a.GenerationId + 5, null);

        Assert.Equal(GroupErrorCode.IllegalGeneration, result.ErrorCode);
    }

    [Fact]
    public async Task LeaveGroup_LastMember_GroupBecomesEmpty()
    {
        var a = await _coordinator.JoinGroupAsync(Join(""));

        var codes = _coordinator.LeaveGroup("g", [(a.MemberId, null), ("ghost", null)]);

        Assert.Equal([GroupErrorCode.None, GroupErrorCode.UnknownMemberId], codes);
        Assert.Equal("Empty", _coordinator.Describe("g", false).State);
    }

    [Fact]
    public async Task CheckCommit_SimpleCommitWhileMembersExist_UnknownMemberId_AndAcceptedOnceEmpty()
    {
        var a = await _coordinator.JoinGroupAsync(Join(""));
        await _coordinator.SyncGroupAsync("g", a.MemberId, null, a.GenerationId, new Dictionary<string, byte[]>());

        Assert.Equal(GroupErrorCode.UnknownMemberId, _coordinator.CheckCommit("g", "", null, -1));
        Assert.Equal(GroupErrorCode.None, _coordinator.CheckCommit("g", a.MemberId, null, a.GenerationId));
        Assert.Equal(GroupErrorCode.IllegalGeneration, _coordinator.CheckCommit("g", a.MemberId, null, a.GenerationId - 1));

        _coordinator.LeaveGroup("g", [(a.MemberId, null)]);
        Assert.Equal(GroupErrorCode.None, _coordinator.CheckCommit("g", "", null, -1));
        Assert.Equal(GroupErrorCode.None, _coordinator.CheckCommit("other-group", "", null, -1));
    }
}
