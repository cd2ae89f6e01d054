using Confluent.Kafka;
using Freshet.Broker.Tests.Support;

namespace Freshet.Broker.Tests.Groups;

/// <summary>
/// librdkafka (Confluent.Kafka) consumers against the group coordinator's durable and static
/// membership: a manual-commit consumer keeps its membership across a broker restart, a static member
/// that restarts within its session timeout gets its partitions back without a rebalance, and a second
/// instance with the same <c>group.instance.id</c> fences the first.
/// </summary>
public sealed class GroupMembershipAcrossRestartTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);
    private static readonly BrokerOptions FastGroups = new() { Port = 0, GroupInitialRebalanceDelayMs = 0 };

    [Fact]
    public async Task ManualCommits_BrokerRestarts_SameMembershipCommitsSucceedWithoutRebalance()
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("restart-commits", 2);
        Produce(harness, "restart-commits", 0, 20);
        var rebalances = 0;
        using var consumer = new ConsumerBuilder<Null, string>(harness.ConsumerConfig(c =>
            {
                c.GroupId = "restart-commits-group";
                c.SessionTimeoutMs = 10_000;
                c.HeartbeatIntervalMs = 300;
            }))
            .SetPartitionsAssignedHandler((_, _) => Interlocked.Increment(ref rebalances))
            .SetPartitionsRevokedHandler((_, _) => Interlocked.Increment(ref rebalances))
            .SetPartitionsLostHandler((_, _) => Interlocked.Increment(ref rebalances))
            .Build();
        consumer.Subscribe("restart-commits");
        ConsumeAndCommit(consumer, 20);
        var memberBefore = consumer.MemberId;
        var rebalancesBefore = Volatile.Read(ref rebalances);

        await harness.RestartAsync();
        Produce(harness, "restart-commits", 20, 20);

        // Every commit after the restart must be accepted: the group and its generation were reloaded.
        ConsumeAndCommit(consumer, 20);
        Assert.Equal(memberBefore, consumer.MemberId);
        Assert.Equal(rebalancesBefore, Volatile.Read(ref rebalances));
        using var admin = new AdminClientBuilder(harness.AdminConfig()).Build();
        var group = admin.ListGroup("restart-commits-group", TimeSpan.FromSeconds(10));
        Assert.Equal("Stable", group.State);
        Assert.Equal(memberBefore, Assert.Single(group.Members).MemberId);
        consumer.Close();
    }

    [Fact]
    public async Task StaticMembers_OneRestartsWithinSessionTimeout_OtherSeesNoRebalanceAndPartitionsComeBack()
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("static", 4);
        var a = new GroupMemberThread(StaticMember(harness, "static-group", "instance-a"), "static");
        using var b = new GroupMemberThread(StaticMember(harness, "static-group", "instance-b"), "static");
        int[] ownedByA;
        try
        {
            GroupMemberThread.WaitUntil(
                () => a.Owned.Length == 2 && b.Owned.Length == 2 && a.Owned.Concat(b.Owned).Order().SequenceEqual([0, 1, 2, 3]),
                Patience,
                () => $"a owns [{string.Join(",", a.Owned)}], b owns [{string.Join(",", b.Owned)}]");
            ownedByA = a.Owned;
        }
        finally
        {
            // A static member does not leave the group when it closes (KIP-345).
            a.Dispose();
        }

        var ownedByB = b.Owned;
        var callbacksOfB = b.RebalanceCallbacks;
        using var restarted = new GroupMemberThread(StaticMember(harness, "static-group", "instance-a"), "static");

        GroupMemberThread.WaitUntil(() => restarted.Owned.SequenceEqual(ownedByA), Patience, () => $"restarted a owns [{string.Join(",", restarted.Owned)}], b owns [{string.Join(",", b.Owned)}]");
        Assert.Equal(callbacksOfB, b.RebalanceCallbacks);
        Assert.Equal(ownedByB, b.Owned);
    }

    [Fact]
    public async Task StaticMember_SecondInstanceWithTheSameInstanceId_FirstIsFenced()
    {
        await using var harness = await BrokerHarness.StartAsync(FastGroups);
        harness.Store.CreateTopic("fenced", 2);
        using var first = new GroupMemberThread(StaticMember(harness, "fenced-group", "twin"), "fenced");
        GroupMemberThread.WaitUntil(() => first.Owned.Length == 2, Patience, () => $"first owns [{string.Join(",", first.Owned)}]");

        using var second = new GroupMemberThread(StaticMember(harness, "fenced-group", "twin"), "fenced");

        GroupMemberThread.WaitUntil(
            () => first.Errors.Any(e => e.IsFatal && e.Reason.Contains("fenced", StringComparison.OrdinalIgnoreCase)),
            Patience,
            () => "errors of the first instance: " + string.Join("; ", first.Errors.Select(e => $"{e.Code} {e.Reason}")));
        GroupMemberThread.WaitUntil(() => second.Owned.Length == 2, Patience, () => $"second owns [{string.Join(",", second.Owned)}]");
        Assert.DoesNotContain(second.Errors, e => e.IsFatal);
    }

    private static ConsumerConfig StaticMember(BrokerHarness harness, string groupId, string instanceId) => harness.ConsumerConfig(c =>
    {
        c.GroupId = groupId;
        c.GroupInstanceId = instanceId;
        c.ClientId = instanceId;
        c.SessionTimeoutMs = 15_000;
        c.HeartbeatIntervalMs = 300;
        c.PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range;
    });

    private static void Produce(BrokerHarness harness, string topic, int from, int count)
    {
        using var producer = new ProducerBuilder<Null, string>(harness.ProducerConfig(c => c.Acks = Acks.All)).Build();
        for (var i = from; i < from + count; i++)
        {
            producer.Produce(new TopicPartition(topic, i % 2), new Message<Null, string> { Value = i.ToString() });
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(15)));
    }

    /// <summary>Consumes <paramref name="count"/> messages, committing each synchronously (a failed commit throws and fails the test).</summary>
    private static void ConsumeAndCommit(IConsumer<Null, string> consumer, int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        var received = 0;
        while (received < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"received {received} of {count}");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }

            consumer.Commit(result);
            received++;
        }
    }
}
