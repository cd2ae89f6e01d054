using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Streaming.Application.Membership;
using Freshet.Streaming.Tests.TestSupport;

namespace Freshet.Streaming.Tests.Application.Membership;

/// <summary>
/// The group member client against a real in-process Freshet broker: sharing, rebalancing on leave and on session
/// expiry, static membership, fencing, leader election and a network partition. Timing is real but short (session
/// timeouts of seconds); every wait polls with a generous deadline and nothing asserts how fast it went.
/// </summary>
[Collection(ApplicationTimingCollection.Name)]
public sealed class GroupMemberTests : IAsyncLifetime
{
    private const int TaskCount = 6;
    private readonly List<GroupMember> _members = [];
    private GroupTestBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await GroupTestBroker.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var member in _members)
        {
            await member.DisposeAsync();
        }

        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task StartAsync_TwoMembers_ShareTheTasksInOneGeneration()
    {
        var a = new RecordingGroupListener("a", TaskCount);
        var b = new RecordingGroupListener("b", TaskCount);
        await StartAsync(Options("two"), a);
        await StartAsync(Options("two"), b);

        await Poll.UntilAsync(() => SharedInOneGeneration(a, b), "a and b to share the tasks");
        Assert.Equal([0, 2, 4], a.Tasks!);
        Assert.Equal([1, 3, 5], b.Tasks!);
    }

    [Fact]
    public async Task StartAsync_ThreeMembers_ShareTheTasksAndOneLeads()
    {
        var listeners = new[] { new RecordingGroupListener("a", TaskCount), new RecordingGroupListener("b", TaskCount), new RecordingGroupListener("c", TaskCount) };
        foreach (var listener in listeners)
        {
            await StartAsync(Options("three"), listener);
        }

        await Poll.UntilAsync(() => SharedInOneGeneration(listeners), "three members to share the tasks");
        Assert.All(listeners, l => Assert.Equal(2, l.Tasks!.Length));
        var generation = listeners[0].Generation!.GenerationId;
        Assert.Single(listeners, l => l.LedGenerations.Contains(generation));
        Assert.Equal(3, listeners.Select(l => l.Generation!.MemberId).Distinct().Count());
    }

    [Fact]
    public async Task LeaveAsync_DynamicMember_OthersTakeItsShareWithoutWaitingForTheSessionTimeout()
    {
        // A session timeout far longer than the wait below: only LeaveGroup can move the work in time.
        var options = Options("leave", session: TimeSpan.FromSeconds(60), heartbeat: TimeSpan.FromMilliseconds(500));
        var a = new RecordingGroupListener("a", TaskCount);
        var b = new RecordingGroupListener("b", TaskCount);
        var c = new RecordingGroupListener("c", TaskCount);
        await StartAsync(options, a);
        await StartAsync(options, b);
        var leaving = await StartAsync(options, c);
        await Poll.UntilAsync(() => SharedInOneGeneration(a, b, c), "three members to share the tasks");
        var before = a.Generation!.GenerationId;

        Assert.True(await leaving.LeaveAsync(CancellationToken.None));

        Assert.Null(c.Generation);
        Assert.Contains("leaving", c.LastRevokeReason);
        await leaving.Completion.WaitAsync(Poll.Deadline);
        await Poll.UntilAsync(() => SharedInOneGeneration(a, b) && a.Generation!.GenerationId > before, "a and b to take c's share", TimeSpan.FromSeconds(20));
        Assert.Equal(3, a.Tasks!.Length);
        Assert.Equal(3, b.Tasks!.Length);
    }

    [Fact]
    public async Task DisposeAsync_WithoutLeave_MemberIsRemovedOnlyAfterTheSessionTimeout()
    {
        var options = Options("expire", session: TimeSpan.FromSeconds(5), heartbeat: TimeSpan.FromMilliseconds(300));
        var a = new RecordingGroupListener("a", TaskCount);
        var b = new RecordingGroupListener("b", TaskCount);
        await StartAsync(options, a);
        var silent = await StartAsync(options, b);
        await Poll.UntilAsync(() => SharedInOneGeneration(a, b), "a and b to share the tasks");
        var before = a.Generation!.GenerationId;

        await silent.DisposeAsync();

        // No LeaveGroup went out: the coordinator still lists b until its session runs out.
        Assert.Equal(2, await CountMembersAsync("expire"));
        Assert.Null(b.Generation);
        await Poll.UntilAsync(() => a.Tasks is { Length: TaskCount } && a.Generation!.GenerationId > before, "a to take every task after b's session expired");
        Assert.Equal(1, await CountMembersAsync("expire"));
    }

    [Fact]
    public async Task StaticMember_RestartWithinSessionTimeout_GetsItsOldAssignmentWithoutANewGeneration()
    {
        var options = Options("static", session: TimeSpan.FromSeconds(20), heartbeat: TimeSpan.FromMilliseconds(200));
        var a = new RecordingGroupListener("a", TaskCount);
        var b = new RecordingGroupListener("b", TaskCount);
        var first = await StartAsync(options with { GroupInstanceId = "instance-a" }, a);
        await StartAsync(options with { GroupInstanceId = "instance-b" }, b);
        await Poll.UntilAsync(() => SharedInOneGeneration(a, b), "a and b to share the tasks");
        var generation = a.Generation!.GenerationId;
        var tasksOfA = a.Tasks!;
        var revocationsOfB = b.Revocations;

        // A static member does not leave when it stops; its replacement takes its place.
        Assert.False(await first.LeaveAsync(CancellationToken.None));
        var restarted = new RecordingGroupListener("a", TaskCount);
        await StartAsync(options with { GroupInstanceId = "instance-a" }, restarted);

        await Poll.UntilAsync(() => restarted.Generation is not null, "the restarted member to get its assignment");
        Assert.Equal(generation, restarted.Generation!.GenerationId);
        Assert.Equal(tasksOfA, restarted.Tasks);
        Assert.Empty(restarted.LedGenerations);

        // Several heartbeats later b still holds its assignment of the same generation: no rebalance happened.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(revocationsOfB, b.Revocations);
        Assert.Equal(generation, b.Generation!.GenerationId);
    }

    [Fact]
    public async Task StaticMember_LeaveGroupEvenIfStatic_OthersTakeItsShareAtOnce()
    {
        var options = Options("static-leave", session: TimeSpan.FromSeconds(60), heartbeat: TimeSpan.FromMilliseconds(500));
        var a = new RecordingGroupListener("a", TaskCount);
        var b = new RecordingGroupListener("b", TaskCount);
        await StartAsync(options with { GroupInstanceId = "instance-a" }, a);
        var leaving = await StartAsync(options with { GroupInstanceId = "instance-b" }, b);
        await Poll.UntilAsync(() => SharedInOneGeneration(a, b), "a and b to share the tasks");

        Assert.True(await leaving.LeaveAsync(leaveGroupEvenIfStatic: true, CancellationToken.None));

        await Poll.UntilAsync(() => a.Tasks is { Length: TaskCount }, "a to take every task", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task StaticMember_SecondProcessWithTheSameInstanceId_FencesTheFirst()
    {
        var options = Options("fence", session: TimeSpan.FromSeconds(20), heartbeat: TimeSpan.FromMilliseconds(200)) with { GroupInstanceId = "same" };
        var first = new RecordingGroupListener("first", TaskCount);
        var firstMember = await StartAsync(options, first);
        await Poll.UntilAsync(() => first.Tasks is { Length: TaskCount }, "the first process to hold every task");

        var second = new RecordingGroupListener("second", TaskCount);
        await StartAsync(options, second);

        var failure = await Assert.ThrowsAsync<GroupMembershipException>(() => firstMember.Completion.WaitAsync(Poll.Deadline));
        Assert.Equal(KafkaErrorCode.FencedInstanceId, failure.ErrorCode);
        Assert.Contains("same group instance id \"same\"", failure.Message);
        Assert.Contains("FENCED_INSTANCE_ID", failure.Message);
        Assert.Null(first.Generation);
        Assert.Equal(1, first.Revocations);
        Assert.Contains("FENCED_INSTANCE_ID", first.LastRevokeReason);
        await Poll.UntilAsync(() => second.Tasks is { Length: TaskCount }, "the second process to hold every task");
    }

    [Fact]
    public async Task LeaveAsync_Leader_AnotherMemberLeadsTheNextGeneration()
    {
        var options = Options("leader", session: TimeSpan.FromSeconds(60), heartbeat: TimeSpan.FromMilliseconds(300));
        var listeners = new[] { new RecordingGroupListener("a", TaskCount), new RecordingGroupListener("b", TaskCount), new RecordingGroupListener("c", TaskCount) };
        var members = new List<GroupMember>();
        foreach (var listener in listeners)
        {
            members.Add(await StartAsync(options, listener));
        }

        await Poll.UntilAsync(() => SharedInOneGeneration(listeners), "three members to share the tasks");
        var generation = listeners[0].Generation!.GenerationId;
        var leaderIndex = Array.FindIndex(listeners, l => l.LedGenerations.Contains(generation));
        Assert.True(leaderIndex >= 0, "one member led the generation");

        Assert.True(await members[leaderIndex].LeaveAsync(CancellationToken.None));

        var rest = listeners.Where((_, i) => i != leaderIndex).ToArray();
        await Poll.UntilAsync(() => SharedInOneGeneration(rest) && rest[0].Generation!.GenerationId > generation, "the remaining two to share the tasks", TimeSpan.FromSeconds(20));
        var next = rest[0].Generation!.GenerationId;
        Assert.Single(rest, l => l.LedGenerations.Contains(next));
    }

    [Fact]
    public async Task RequestRejoin_OfTheLeader_StartsANewGenerationWithTheSameShares()
    {
        var a = new RecordingGroupListener("a", TaskCount);
        var b = new RecordingGroupListener("b", TaskCount);
        var memberA = await StartAsync(Options("rejoin"), a);
        var memberB = await StartAsync(Options("rejoin"), b);
        await Poll.UntilAsync(() => SharedInOneGeneration(a, b), "a and b to share the tasks");

        // Kafka's coordinator starts a new generation when the leader rejoins (a follower rejoining with unchanged
        // metadata just gets the current assignment back), so the leader of the shared generation is asked.
        var (leader, listener) = a.Events.Contains("assign 2 members") ? (memberA, a) : (memberB, b);
        var before = listener.Generation!.GenerationId;
        var revocations = listener.Revocations;
        leader.RequestRejoin();

        await Poll.UntilAsync(() => SharedInOneGeneration(a, b) && a.Generation!.GenerationId > before, () => $"a new generation (a: {string.Join(" | ", a.Events)}; b: {string.Join(" | ", b.Events)})");
        Assert.Equal(revocations + 1, listener.Revocations);
        Assert.Contains("asked to rejoin", listener.Events.Last(e => e.StartsWith("revoked", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PartitionedMember_RevokesWhenItsSessionRunsOut_BeforeTheOthersGetItsWork_AndRejoinsAfterwards()
    {
        // The cut-off member's lease ends one heartbeat interval (3 s) before its session does: room enough for a
        // loaded test machine to run the member's timer late.
        var options = Options("partition", session: TimeSpan.FromSeconds(9), heartbeat: TimeSpan.FromSeconds(3)) with { ConnectTimeout = TimeSpan.FromSeconds(2) };
        await using var proxy = new PartitionableProxy(_broker.Port);
        var cutOff = new RecordingGroupListener("a", TaskCount);
        var survivor = new RecordingGroupListener("b", TaskCount);
        var cutOffMember = await StartAsync(options with { BootstrapServers = proxy.BootstrapServers }, cutOff);
        await StartAsync(options with { HeartbeatInterval = TimeSpan.FromMilliseconds(300) }, survivor);
        await Poll.UntilAsync(() => SharedInOneGeneration(cutOff, survivor), "a and b to share the tasks");

        proxy.Cut();

        await Poll.UntilAsync(() => cutOff.Generation is null, "the cut-off member to revoke");
        Assert.Contains("session timeout", cutOff.LastRevokeReason);
        await Poll.UntilAsync(() => survivor.Tasks is { Length: TaskCount }, "the survivor to take every task");

        // The invariant: the cut-off member stopped before the coordinator gave its work away.
        Assert.True(cutOff.RevokedAt < survivor.AssignedAt, "the cut-off member revoked before the survivor got its tasks");
        Assert.False(cutOffMember.Completion.IsCompleted);

        proxy.Heal();
        await Poll.UntilAsync(() => SharedInOneGeneration(cutOff, survivor), "the healed member to rejoin and share the tasks again");
    }

    [Fact]
    public async Task BrokerRestart_MembersReconnectFindTheCoordinatorAndShareAgain()
    {
        var options = Options("restart", session: TimeSpan.FromSeconds(3), heartbeat: TimeSpan.FromSeconds(1)) with { ConnectTimeout = TimeSpan.FromSeconds(2) };
        var a = new RecordingGroupListener("a", TaskCount);
        var b = new RecordingGroupListener("b", TaskCount);
        var memberA = await StartAsync(options, a);
        var memberB = await StartAsync(options, b);
        await Poll.UntilAsync(() => SharedInOneGeneration(a, b), "a and b to share the tasks");

        // Down for longer than the members' lease: both revoke, then reconnect and join again.
        await _broker.RestartAsync(downtime: TimeSpan.FromSeconds(3));

        await Poll.UntilAsync(() => a.Revocations > 0 && b.Revocations > 0, "both members to revoke while the broker is down");
        await Poll.UntilAsync(() => SharedInOneGeneration(a, b), "a and b to share the tasks again after the restart");
        Assert.Contains(a.Events, e => e.StartsWith("revoked", StringComparison.Ordinal) && e.Contains("session timeout", StringComparison.Ordinal));
        Assert.Contains(b.Events, e => e.StartsWith("revoked", StringComparison.Ordinal) && e.Contains("session timeout", StringComparison.Ordinal));
        Assert.False(memberA.Completion.IsCompleted);
        Assert.False(memberB.Completion.IsCompleted);
    }

    [Fact]
    public async Task Listener_AssignThrows_MemberStopsWithTheCause()
    {
        var member = new GroupMember(Options("throwing"), new ThrowingListener());
        _members.Add(member);
        await member.StartAsync(CancellationToken.None);

        var failure = await Assert.ThrowsAsync<GroupMembershipException>(() => member.Completion.WaitAsync(Poll.Deadline));

        Assert.Contains("the assignor broke", failure.Message);
        Assert.IsType<InvalidOperationException>(failure.InnerException);
        Assert.Null(member.Generation);
        Assert.False(await member.LeaveAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StartAsync_FirstBootstrapServerUnreachable_UsesTheNext()
    {
        var listener = new RecordingGroupListener("a", TaskCount);
        await StartAsync(Options("order") with { BootstrapServers = $"127.0.0.1:{ClosedPort()},{_broker.BootstrapServers}" }, listener);

        await Poll.UntilAsync(() => listener.Tasks is { Length: TaskCount }, "the member to hold every task");
    }

    private GroupMemberOptions Options(string group, TimeSpan? session = null, TimeSpan? heartbeat = null) => new()
    {
        GroupId = group,
        BootstrapServers = _broker.BootstrapServers,
        SessionTimeout = session ?? TimeSpan.FromSeconds(3),
        HeartbeatInterval = heartbeat ?? TimeSpan.FromMilliseconds(300),
        RebalanceTimeout = TimeSpan.FromSeconds(10),
        RequestTimeout = TimeSpan.FromSeconds(10),
        ClientId = "membership-test",
    };

    private async Task<GroupMember> StartAsync(GroupMemberOptions options, RecordingGroupListener listener)
    {
        var member = new GroupMember(options, listener);
        _members.Add(member);
        await member.StartAsync(CancellationToken.None);
        return member;
    }

    /// <summary>Every listener holds an assignment of the same generation, and together they hold each task exactly once.</summary>
    private static bool SharedInOneGeneration(params RecordingGroupListener[] listeners)
    {
        var generations = listeners.Select(l => l.Generation?.GenerationId).Distinct().ToList();
        if (generations.Count != 1 || generations[0] is null)
        {
            return false;
        }

        var tasks = listeners.SelectMany(l => l.Tasks ?? []).ToList();
        return tasks.Count == TaskCount && tasks.Distinct().Count() == TaskCount;
    }

    private async Task<int> CountMembersAsync(string group)
    {
        var address = BrokerAddress.ParseList(_broker.BootstrapServers, "test")[0];
        await using var connection = await KafkaConnection.ConnectAsync(address, [new ApiVersionRange(ApiKeys.DescribeGroups, 0, DescribeGroupsRequest.HighestSupportedVersion)], new KafkaConnectionOptions(), CancellationToken.None);
        var response = await connection.SendAsync<DescribeGroupsRequest, DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = [group] }, TimeSpan.FromSeconds(10), CancellationToken.None);
        return response.Groups[0].Members.Count;
    }

    internal static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class ThrowingListener : IGroupMemberListener
    {
        public byte[] SubscriptionMetadata() => [];

        public IReadOnlyDictionary<string, byte[]> Assign(IReadOnlyList<GroupMemberMetadata> members) => throw new InvalidOperationException("the assignor broke");

        public void OnAssigned(GroupGeneration generation, byte[] assignment) => throw new InvalidOperationException("never assigned");

        public void OnRevoked(string reason) => throw new InvalidOperationException("never assigned");
    }
}
