using Freshet.Broker.Groups;
using Freshet.Log;

namespace Freshet.Broker.Tests.Groups;

/// <summary>
/// The coordinator over a real log store on a manual clock: group metadata survives a restart (a new
/// store and coordinator on the same directory), static members rejoin without a rebalance and fence
/// the instance they replace, offset commits follow Kafka's validation, and DeleteGroups/OffsetDelete
/// work through the internal API.
/// </summary>
public sealed class GroupPersistenceAndStaticMembershipTests : IAsyncDisposable
{
    private readonly ManualClock _clock = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-broker-tests", Guid.NewGuid().ToString("N"));
    private LogStore _store;
    private GroupCoordinator _coordinator;

    public GroupPersistenceAndStaticMembershipTests()
    {
        (_store, _coordinator) = Open();
    }

    private (LogStore, GroupCoordinator) Open()
    {
        var store = LogStore.Open(_directory, new LogStoreOptions { Clock = _clock, BackgroundMaintenance = false });
        return (store, new GroupCoordinator(_clock, initialRebalanceDelayMs: 0, store.GroupOffsets, runTicker: false));
    }

    private async Task RestartAsync()
    {
        await _coordinator.DisposeAsync();
        _store.Dispose();
        (_store, _coordinator) = Open();
    }

    public async ValueTask DisposeAsync()
    {
        await _coordinator.DisposeAsync();
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static JoinGroupRequestData Join(string memberId, string? instanceId = null, string protocol = "range", byte[]? metadata = null, int sessionTimeoutMs = 10_000, string protocolType = "consumer", params string[] moreProtocols) =>
        new("g", memberId, instanceId, "client", "/127.0.0.1", sessionTimeoutMs, 30_000, protocolType, [new MemberProtocol(protocol, metadata ?? [1]), .. moreProtocols.Select(p => new MemberProtocol(p, [2]))], RequireKnownMemberId: false);

    /// <summary>Two members (static when instance ids are given) in a Stable group: a gets [1], b gets [2].</summary>
    private async Task<(JoinGroupResult A, JoinGroupResult B)> StableGroupOfTwoAsync(string? instanceA = null, string? instanceB = null, byte[]? metadataB = null)
    {
        var a = await _coordinator.JoinGroupAsync(Join("", instanceA));
        Assert.Equal(GroupErrorCode.None, (await _coordinator.SyncGroupAsync("g", a.MemberId, instanceA, a.GenerationId, new Dictionary<string, byte[]> { [a.MemberId] = [1] })).ErrorCode);
        var pendingB = _coordinator.JoinGroupAsync(Join("", instanceB, metadata: metadataB));
        var a2 = await _coordinator.JoinGroupAsync(Join(a.MemberId, instanceA));
        var b = await pendingB;
        var followerSync = _coordinator.SyncGroupAsync("g", b.MemberId, instanceB, b.GenerationId, null);
        var leaderSync = await _coordinator.SyncGroupAsync("g", a2.MemberId, instanceA, a2.GenerationId, new Dictionary<string, byte[]> { [a2.MemberId] = [1], [b.MemberId] = [2] });
        Assert.Equal([1], leaderSync.Assignment);
        Assert.Equal([2], (await followerSync).Assignment);
        return (a2, b);
    }

    [Fact]
    public async Task Restart_StableGroup_ResumesWithItsMembersGenerationAndAssignments()
    {
        var (a, b) = await StableGroupOfTwoAsync();

        await RestartAsync();

        var described = _coordinator.Describe("g", hasCommittedOffsets: false);
        Assert.Equal("Stable", described.State);
        Assert.Equal("range", described.Protocol);
        Assert.Equal(new[] { a.MemberId, b.MemberId }.Order(), described.Members.Select(m => m.MemberId).Order());
        Assert.Equal(GroupErrorCode.None, _coordinator.Heartbeat("g", a.MemberId, null, a.GenerationId));
        Assert.Equal(GroupErrorCode.None, _coordinator.CheckCommit("g", b.MemberId, null, b.GenerationId));
        Assert.Equal([2], (await _coordinator.SyncGroupAsync("g", b.MemberId, null, b.GenerationId, null)).Assignment);
    }

    [Fact]
    public async Task Restart_MemberDoesNotHeartbeatWithinItsSessionTimeout_RemovedAndGroupRebalances()
    {
        var (a, b) = await StableGroupOfTwoAsync();
        await RestartAsync();

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
    public async Task Restart_AfterEveryMemberLeft_GroupIsEmptyAndKeepsCountingGenerations()
    {
        var (a, b) = await StableGroupOfTwoAsync();
        _coordinator.LeaveGroup("g", [(a.MemberId, null), (b.MemberId, null)]);

        await RestartAsync();

        Assert.Equal("Empty", _coordinator.Describe("g", hasCommittedOffsets: false).State);
        Assert.Equal(GroupErrorCode.UnknownMemberId, _coordinator.Heartbeat("g", a.MemberId, null, a.GenerationId));
        var fresh = await _coordinator.JoinGroupAsync(Join(""));
        Assert.Equal(a.GenerationId + 2, fresh.GenerationId);
    }

    [Fact]
    public async Task Restart_DataWrittenBeforeGroupMetadataExisted_OpensWithOffsetsAndNoGroups()
    {
        // Only offset commits in the log, as every data directory from before group metadata was stored.
        _store.GroupOffsets.Commit("old-group", "orders", 0, 42);

        await RestartAsync();

        Assert.Empty(_coordinator.ListGroups());
        Assert.True(_store.GroupOffsets.TryFetch("old-group", "orders", 0, out var committed));
        Assert.Equal(42, committed.Offset);
        Assert.Equal(GroupErrorCode.None, _coordinator.CheckCommit("old-group", "", null, -1));
    }

    [Fact]
    public async Task SyncGroup_StoreRefusesTheGeneration_MembersGetCoordinatorNotAvailableAndGroupRebalances()
    {
        var a = await _coordinator.JoinGroupAsync(Join(""));
        _store.Dispose();

        var sync = await _coordinator.SyncGroupAsync("g", a.MemberId, null, a.GenerationId, new Dictionary<string, byte[]> { [a.MemberId] = [1] });

        Assert.Equal(GroupErrorCode.CoordinatorNotAvailable, sync.ErrorCode);
        Assert.Equal("PreparingRebalance", _coordinator.Describe("g", false).State);
        var rejoined = await _coordinator.JoinGroupAsync(Join(a.MemberId));
        Assert.Equal(a.GenerationId + 1, rejoined.GenerationId);
    }

    [Fact]
    public async Task StaticMember_RejoinsWithoutMemberIdInStableGroup_SameGenerationNoRebalanceOldAssignment()
    {
        var (a, b) = await StableGroupOfTwoAsync("instance-a", "instance-b");

        var rejoined = await _coordinator.JoinGroupAsync(Join("", "instance-a"));

        Assert.Equal(GroupErrorCode.None, rejoined.ErrorCode);
        Assert.NotEqual(a.MemberId, rejoined.MemberId);
        Assert.Equal(a.GenerationId, rejoined.GenerationId);
        Assert.Equal(a.MemberId, rejoined.LeaderId); // the old leader id, so the member does not run an assignment
        Assert.Empty(rejoined.Members);
        Assert.Equal("Stable", _coordinator.Describe("g", false).State);
        Assert.Equal(GroupErrorCode.None, _coordinator.Heartbeat("g", b.MemberId, "instance-b", b.GenerationId));
        var sync = await _coordinator.SyncGroupAsync("g", rejoined.MemberId, "instance-a", rejoined.GenerationId, null);
        Assert.Equal(GroupErrorCode.None, sync.ErrorCode);
        Assert.Equal([1], sync.Assignment);
    }

    [Fact]
    public async Task StaticMember_ReplacementCannotBeStored_OldMemberIdStaysValid()
    {
        var (a, _) = await StableGroupOfTwoAsync("instance-a", "instance-b");
        _store.Dispose();

        var rejoined = await _coordinator.JoinGroupAsync(Join("", "instance-a"));

        Assert.Equal(GroupErrorCode.CoordinatorNotAvailable, rejoined.ErrorCode);
        Assert.Equal(GroupErrorCode.None, _coordinator.Heartbeat("g", a.MemberId, "instance-a", a.GenerationId));
        Assert.Equal("Stable", _coordinator.Describe("g", false).State);
    }

    [Fact]
    public async Task StaticMember_RejoinsAfterRestart_ReplacementIsPersisted()
    {
        var (a, _) = await StableGroupOfTwoAsync("instance-a", "instance-b");
        var rejoined = await _coordinator.JoinGroupAsync(Join("", "instance-a"));

        await RestartAsync();

        Assert.Equal(GroupErrorCode.FencedInstanceId, _coordinator.Heartbeat("g", a.MemberId, "instance-a", a.GenerationId));
        Assert.Equal(GroupErrorCode.None, _coordinator.Heartbeat("g", rejoined.MemberId, "instance-a", rejoined.GenerationId));
    }

    [Fact]
    public async Task StaticMember_Replaced_OldInstanceFencedOnEveryCall()
    {
        var (a, _) = await StableGroupOfTwoAsync("instance-a", "instance-b");
        var replacement = await _coordinator.JoinGroupAsync(Join("", "instance-a"));
        Assert.Equal(GroupErrorCode.None, replacement.ErrorCode);

        Assert.Equal(GroupErrorCode.FencedInstanceId, _coordinator.Heartbeat("g", a.MemberId, "instance-a", a.GenerationId));
        Assert.Equal(GroupErrorCode.FencedInstanceId, (await _coordinator.SyncGroupAsync("g", a.MemberId, "instance-a", a.GenerationId, null)).ErrorCode);
        Assert.Equal(GroupErrorCode.FencedInstanceId, _coordinator.CheckCommit("g", a.MemberId, "instance-a", a.GenerationId));
        Assert.Equal(GroupErrorCode.FencedInstanceId, (await _coordinator.JoinGroupAsync(Join(a.MemberId, "instance-a"))).ErrorCode);
        Assert.Equal([GroupErrorCode.FencedInstanceId], _coordinator.LeaveGroup("g", [(a.MemberId, "instance-a")]));

        // Without its instance id the old member id is simply unknown, as in Kafka.
        Assert.Equal(GroupErrorCode.UnknownMemberId, _coordinator.Heartbeat("g", a.MemberId, null, a.GenerationId));
        Assert.Equal("Stable", _coordinator.Describe("g", false).State);
    }

    [Fact]
    public async Task StaticMember_RejoinsWithProtocolsThatChangeTheGroupsChoice_Rebalances()
    {
        // Both members list "range" then "roundrobin"; when a prefers roundrobin, the vote is a tie that
        // the first candidate of the first member breaks, so it changes the choice.
        var a = await _coordinator.JoinGroupAsync(Join("", "instance-a", "range", null, 10_000, "consumer", "roundrobin"));
        await _coordinator.SyncGroupAsync("g", a.MemberId, "instance-a", a.GenerationId, new Dictionary<string, byte[]> { [a.MemberId] = [1] });

        var rejoin = _coordinator.JoinGroupAsync(Join("", "instance-a", "roundrobin", null, 10_000, "consumer", "range"));

        var result = await rejoin;
        Assert.Equal(a.GenerationId + 1, result.GenerationId);
        Assert.Equal("roundrobin", result.ProtocolName);
    }

    [Fact]
    public async Task StaticMember_LeaveByInstanceIdOnly_RemovesIt()
    {
        var (a, b) = await StableGroupOfTwoAsync("instance-a", "instance-b");

        Assert.Equal([GroupErrorCode.None, GroupErrorCode.UnknownMemberId], _coordinator.LeaveGroup("g", [("", "instance-a"), ("", "nobody")]));

        Assert.Equal(GroupErrorCode.UnknownMemberId, _coordinator.Heartbeat("g", a.MemberId, null, a.GenerationId));
        Assert.Equal(GroupErrorCode.RebalanceInProgress, _coordinator.Heartbeat("g", b.MemberId, "instance-b", b.GenerationId));
    }

    [Fact]
    public async Task CheckCommit_KafkasRules_ErrorForEachCombination()
    {
        var (a, _) = await StableGroupOfTwoAsync("instance-a", null);

        Assert.Equal(GroupErrorCode.UnknownMemberId, _coordinator.CheckCommit("g", "", null, -1));
        Assert.Equal(GroupErrorCode.UnknownMemberId, _coordinator.CheckCommit("g", "", null, a.GenerationId));
        Assert.Equal(GroupErrorCode.UnknownMemberId, _coordinator.CheckCommit("g", "stranger", null, a.GenerationId));
        Assert.Equal(GroupErrorCode.UnknownMemberId, _coordinator.CheckCommit("g", a.MemberId, "unknown-instance", a.GenerationId));
        Assert.Equal(GroupErrorCode.FencedInstanceId, _coordinator.CheckCommit("g", "stranger", "instance-a", a.GenerationId));
        Assert.Equal(GroupErrorCode.IllegalGeneration, _coordinator.CheckCommit("g", a.MemberId, "instance-a", a.GenerationId - 1));
        Assert.Equal(GroupErrorCode.IllegalGeneration, _coordinator.CheckCommit("g", a.MemberId, null, -1));
        Assert.Equal(GroupErrorCode.None, _coordinator.CheckCommit("g", a.MemberId, "instance-a", a.GenerationId));
        Assert.Equal(GroupErrorCode.IllegalGeneration, _coordinator.CheckCommit("unknown-group", "", null, 3));
        Assert.Equal(GroupErrorCode.None, _coordinator.CheckCommit("unknown-group", "", null, -1));

        // Transactional commits from clients that send no member pass while the group has members.
        Assert.Equal(GroupErrorCode.None, _coordinator.CheckTxnCommit("g", "", null, -1));
        Assert.Equal(GroupErrorCode.IllegalGeneration, _coordinator.CheckTxnCommit("g", a.MemberId, null, a.GenerationId + 1));
        Assert.Equal(GroupErrorCode.UnknownMemberId, _coordinator.CheckTxnCommit("unknown-group", "m", null, 1));
    }

    [Fact]
    public async Task CheckCommit_WhileWaitingForTheLeadersAssignment_RebalanceInProgress()
    {
        var a = await _coordinator.JoinGroupAsync(Join(""));

        Assert.Equal(GroupErrorCode.RebalanceInProgress, _coordinator.CheckCommit("g", a.MemberId, null, a.GenerationId));
    }

    [Fact]
    public async Task DeleteGroups_EmptyNonEmptyUnknownAndOffsetsOnly_KafkasCodesAndDurable()
    {
        var (a, b) = await StableGroupOfTwoAsync();
        _store.GroupOffsets.Commit("g", "orders", 0, 5);
        _store.GroupOffsets.Commit("offsets-only", "orders", 0, 6);

        Assert.Equal([GroupErrorCode.NonEmptyGroup, GroupErrorCode.GroupIdNotFound, GroupErrorCode.None, GroupErrorCode.InvalidGroupId], _coordinator.DeleteGroups(["g", "unknown", "offsets-only", ""]));

        _coordinator.LeaveGroup("g", [(a.MemberId, null), (b.MemberId, null)]);
        Assert.Equal([GroupErrorCode.None], _coordinator.DeleteGroups(["g"]));
        Assert.Equal([GroupErrorCode.GroupIdNotFound], _coordinator.DeleteGroups(["g"]));
        await RestartAsync();

        Assert.Empty(_coordinator.ListGroups());
        Assert.Empty(_store.GroupOffsets.FetchAll("g"));
        Assert.Empty(_store.GroupOffsets.FetchAll("offsets-only"));
        Assert.False(_store.GroupOffsets.TryGetGroupMetadata("g", out _));
        var fresh = await _coordinator.JoinGroupAsync(Join(""));
        Assert.Equal(1, fresh.GenerationId);
    }

    [Fact]
    public async Task DeleteOffsets_ConsumerGroupSubscribedToOneTopic_OnlyTheOtherTopicsOffsetsDeleted()
    {
        var subscription = ConsumerSubscriptionBytes("orders");
        var a = await _coordinator.JoinGroupAsync(Join("", metadata: subscription));
        await _coordinator.SyncGroupAsync("g", a.MemberId, null, a.GenerationId, new Dictionary<string, byte[]> { [a.MemberId] = [1] });
        _store.GroupOffsets.Commit("g", [new Freshet.Log.Groups.OffsetCommit("orders", 0, 5), new Freshet.Log.Groups.OffsetCommit("payments", 0, 6)]);

        var result = _coordinator.DeleteOffsets("g", [("orders", 0), ("payments", 0), ("payments", 1)]);

        Assert.Equal(GroupErrorCode.None, result.ErrorCode);
        Assert.Equal([GroupErrorCode.GroupSubscribedToTopic, GroupErrorCode.None, GroupErrorCode.None], result.PartitionErrors);
        await RestartAsync();
        Assert.Equal(["orders"], _store.GroupOffsets.FetchAll("g").Select(c => c.Topic));
    }

    [Fact]
    public async Task DeleteOffsets_EmptyGroupUnknownGroupAndOtherProtocolType_KafkasCodes()
    {
        _store.GroupOffsets.Commit("offsets-only", "orders", 0, 5);
        var connect = await _coordinator.JoinGroupAsync(Join("", protocolType: "connect"));
        await _coordinator.SyncGroupAsync("g", connect.MemberId, null, connect.GenerationId, new Dictionary<string, byte[]>());

        Assert.Equal(GroupErrorCode.None, _coordinator.DeleteOffsets("offsets-only", [("orders", 0)]).ErrorCode);
        Assert.Empty(_store.GroupOffsets.FetchAll("offsets-only"));
        Assert.Equal(GroupErrorCode.GroupIdNotFound, _coordinator.DeleteOffsets("unknown", [("orders", 0)]).ErrorCode);
        Assert.Equal(GroupErrorCode.NonEmptyGroup, _coordinator.DeleteOffsets("g", [("orders", 0)]).ErrorCode);
    }

    /// <summary>The consumer protocol's subscription (version 0): the topics, and no user data.</summary>
    private static byte[] ConsumerSubscriptionBytes(params string[] topics)
    {
        var output = new List<byte> { 0, 0 };
        output.AddRange(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(topics.Length)));
        foreach (var topic in topics)
        {
            var name = System.Text.Encoding.UTF8.GetBytes(topic);
            output.AddRange([(byte)(name.Length >> 8), (byte)name.Length]);
            output.AddRange(name);
        }

        output.AddRange([0xFF, 0xFF, 0xFF, 0xFF]);
        return output.ToArray();
    }
}
