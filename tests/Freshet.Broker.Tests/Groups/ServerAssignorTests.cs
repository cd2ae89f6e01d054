using Freshet.Broker.Groups.ConsumerProtocol;

namespace Freshet.Broker.Tests.Groups;

/// <summary>The consumer group protocol's server assignors as pure functions: coverage, balance and stickiness.</summary>
public sealed class ServerAssignorTests
{
    private static readonly Guid Orders = new("0e3b1f55-7f0e-4c51-9d0b-6f4b2f9b0a01");
    private static readonly Guid Payments = new("0e3b1f55-7f0e-4c51-9d0b-6f4b2f9b0a02");

    [Theory]
    [InlineData(1, 7)]
    [InlineData(3, 7)]
    [InlineData(4, 12)]
    [InlineData(5, 3)]
    public void Uniform_SameSubscription_EveryPartitionOnceAndCountsWithinOne(int members, int partitions)
    {
        var subscriptions = Members(members, Orders);
        var result = new UniformAssignor().Assign(subscriptions, new Dictionary<Guid, int> { [Orders] = partitions }, new Dictionary<string, PartitionAssignment>());

        AssertCoversExactly(result, (Orders, partitions));
        var counts = result.Values.Select(a => a.Count).ToArray();
        Assert.True(counts.Max() - counts.Min() <= 1, string.Join(",", counts));
    }

    [Fact]
    public void Uniform_MemberJoins_OnlyPartitionsForTheNewMemberMove()
    {
        var assignor = new UniformAssignor();
        var counts = new Dictionary<Guid, int> { [Orders] = 6 };
        var before = assignor.Assign(Members(2, Orders), counts, new Dictionary<string, PartitionAssignment>());
        var after = assignor.Assign(Members(3, Orders), counts, before);

        AssertCoversExactly(after, (Orders, 6));
        Assert.All(after.Values, a => Assert.Equal(2, a.Count));
        Assert.True(after["m0"].IsSubsetOf(before["m0"]));
        Assert.True(after["m1"].IsSubsetOf(before["m1"]));
    }

    [Fact]
    public void Uniform_DifferentSubscriptions_PartitionsOnlyGoToSubscribers()
    {
        var subscriptions = new Dictionary<string, IReadOnlySet<Guid>>
        {
            ["a"] = new HashSet<Guid> { Orders },
            ["b"] = new HashSet<Guid> { Orders, Payments },
            ["c"] = new HashSet<Guid> { Payments },
        };
        var result = new UniformAssignor().Assign(subscriptions, new Dictionary<Guid, int> { [Orders] = 4, [Payments] = 2 }, new Dictionary<string, PartitionAssignment>());

        AssertCoversExactly(result, (Orders, 4), (Payments, 2));
        Assert.DoesNotContain(Payments, result["a"].Topics.Keys);
        Assert.DoesNotContain(Orders, result["c"].Topics.Keys);
        Assert.All(result.Values, a => Assert.Equal(2, a.Count));
    }

    [Fact]
    public void Range_TwoTopics_SameContiguousRangesOfEach()
    {
        var result = new RangeAssignor().Assign(Members(2, Orders, Payments), new Dictionary<Guid, int> { [Orders] = 5, [Payments] = 5 }, new Dictionary<string, PartitionAssignment>());

        AssertCoversExactly(result, (Orders, 5), (Payments, 5));
        Assert.Equal([0, 1, 2], result["m0"].Topics[Orders]);
        Assert.Equal([0, 1, 2], result["m0"].Topics[Payments]);
        Assert.Equal([3, 4], result["m1"].Topics[Orders]);
        Assert.Equal([3, 4], result["m1"].Topics[Payments]);
    }

    private static Dictionary<string, IReadOnlySet<Guid>> Members(int count, params Guid[] topics) =>
        Enumerable.Range(0, count).ToDictionary(i => $"m{i}", IReadOnlySet<Guid> (_) => new HashSet<Guid>(topics));

    private static void AssertCoversExactly(Dictionary<string, PartitionAssignment> result, params (Guid Topic, int Partitions)[] topics)
    {
        var assigned = result.Values.SelectMany(a => a.All()).ToList();
        var expected = topics.SelectMany(t => Enumerable.Range(0, t.Partitions).Select(p => (t.Topic, p))).ToList();
        Assert.Equal(expected.Count, assigned.Count);
        Assert.Equal(expected.OrderBy(x => x.Topic).ThenBy(x => x.p), assigned.OrderBy(x => x.TopicId).ThenBy(x => x.Partition).Select(x => (x.TopicId, x.Partition)));
    }
}
