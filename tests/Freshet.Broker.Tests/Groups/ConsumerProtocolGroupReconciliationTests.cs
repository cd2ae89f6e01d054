using Freshet.Broker.Groups.ConsumerProtocol;

namespace Freshet.Broker.Tests.Groups;

/// <summary>
/// The consumer group protocol's reconciliation step by step, on a group driven directly: partitions
/// move only after their previous owner reports them revoked, and epochs advance as KIP-848 says.
/// </summary>
public sealed class ConsumerProtocolGroupReconciliationTests
{
    private static readonly Guid TopicId = new("5b0f3c1e-2d4a-4e8b-9c6d-7a1f2e3d4c5b");
    private static readonly ConsumerProtocolSettings Settings = new(HeartbeatIntervalMs: 100, SessionTimeoutMs: 1000);

    [Fact]
    public void Heartbeat_SecondMemberJoins_PartitionsWithheldUntilFirstRevokes()
    {
        var group = new ConsumerProtocolGroup("g");
        var a = Heartbeat(group, "a", 0, owned: []);
        Assert.Equal(1, a.MemberEpoch);
        Assert.Equal([0, 1, 2, 3], Partitions(a));

        var b = Heartbeat(group, "b", 0, owned: []);
        Assert.Equal(2, b.MemberEpoch);
        Assert.Empty(Partitions(b)); // its target partitions are still a's

        a = Heartbeat(group, "a", 1, owned: [0, 1, 2, 3]);
        Assert.Equal(1, a.MemberEpoch); // revoke first, at the old epoch
        Assert.Equal([0, 1], Partitions(a));

        b = Heartbeat(group, "b", 2, owned: []);
        Assert.Null(b.Assignment); // a has not confirmed the revocation yet

        a = Heartbeat(group, "a", 1, owned: [0, 1]);
        Assert.Equal(2, a.MemberEpoch);

        b = Heartbeat(group, "b", 2, owned: []);
        Assert.Equal([2, 3], Partitions(b));
    }

    [Fact]
    public void Tick_MemberMissesSessionTimeout_RemovedAndPartitionsGoToTheOther()
    {
        var group = new ConsumerProtocolGroup("g");
        Heartbeat(group, "a", 0, owned: [], nowMs: 0);
        Heartbeat(group, "b", 0, owned: [], nowMs: 0);
        Heartbeat(group, "a", 1, owned: [0, 1, 2, 3], nowMs: 0);
        Heartbeat(group, "a", 1, owned: [0, 1], nowMs: 0);
        Assert.Equal([2, 3], Partitions(Heartbeat(group, "b", 2, owned: [], nowMs: 0)));

        Heartbeat(group, "a", 2, owned: [0, 1], nowMs: 900);
        group.Tick(nowMs: 1500); // b's session (1000 ms from its last heartbeat at 0) has expired
        var a = Heartbeat(group, "a", 2, owned: [0, 1], nowMs: 1500);
        Assert.Equal(3, a.MemberEpoch);
        Assert.Equal([0, 1, 2, 3], Partitions(a));
        Assert.Equal(25, Heartbeat(group, "b", 2, owned: [2, 3], nowMs: 1500).ErrorCode);
    }

    private static ConsumerHeartbeatResult Heartbeat(ConsumerProtocolGroup group, string memberId, int epoch, int[] owned, long nowMs = 0)
    {
        var ownedSet = new PartitionAssignment();
        foreach (var partition in owned)
        {
            ownedSet.Add(TopicId, partition);
        }

        var request = new ConsumerHeartbeatRequest(
            "g", memberId, epoch, null, null, epoch == 0 ? 10_000 : -1, epoch == 0 ? ["t"] : null, null, epoch == 0 ? "uniform" : null, ownedSet, "client", "host");
        return group.Heartbeat(request, nowMs, Settings, Resolve);
    }

    private static bool Resolve(string name, out SubscribedTopic topic)
    {
        topic = new SubscribedTopic(TopicId, 4);
        return name == "t";
    }

    private static int[] Partitions(ConsumerHeartbeatResult result) =>
        result.Assignment?.All().Select(p => p.Partition).Order().ToArray() ?? [];
}
