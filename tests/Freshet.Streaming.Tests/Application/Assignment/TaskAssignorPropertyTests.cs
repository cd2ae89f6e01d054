using CsCheck;
using Freshet.Streaming.Application.Assignment;
using static Freshet.Streaming.Tests.Application.Assignment.AssignorFixtures;

namespace Freshet.Streaming.Tests.Application.Assignment;

/// <summary>
/// The task assignor's guarantees over random groups: 1–7 members on 1–4 processes, some with a foreign job graph,
/// up to 3 sub-topologies of up to 9 partitions, and arbitrary (even contradictory) previous ownership, standby
/// copies and offset sums, including tasks that no longer exist.
/// </summary>
public sealed class TaskAssignorPropertyTests
{
    private static readonly Gen<Group> Groups =
        Gen.Select(Gen.Int[1, 9].Array[1, 3], Gen.Int[1, 7], Gen.Int[1, 4], Gen.Int[0, 3])
            .SelectMany((partitions, memberCount, processCount, standbys) =>
            {
                var tasks = TasksOf(partitions);
                var member = Gen.Select(Gen.Int[1, processCount], Gen.Int[0, 9], Gen.Int[0, 6].Array[tasks.Length], Gen.Long[0, 1000].Array[tasks.Length])
                    .Select((process, fingerprintRoll, roles, sums) => Subscription(
                        Process(process),
                        active: tasks.Where((_, i) => roles[i] <= 1).Append(new TaskId(9, 9)),
                        standby: tasks.Where((_, i) => roles[i] == 2),
                        offsetSums: tasks.Select((task, i) => (task, i)).Where(e => roles[e.i] is 1 or 3).ToDictionary(e => e.task, e => sums[e.i]),
                        fingerprint: fingerprintRoll == 0 ? "fp-other" : Fingerprint));
                return member.Array[memberCount].Select(subscriptions => new Group(
                    tasks, [.. subscriptions.Select((subscription, i) => ($"member-{i}", subscription))], standbys));
            });

    [Fact]
    public void Assign_AnyGroup_KeepsEveryInvariant() =>
        Groups.Sample(group => AssertInvariants(group.Tasks, group.Members, group.Standbys, group.Assign()), iter: 2000);

    [Fact]
    public void Assign_OutputFedBack_SameOutput()
    {
        Groups.Sample(group =>
        {
            var first = group.Assign();
            var again = group with { Members = FedBack(group.Members, first) };
            Assert.Equal(first, again.Assign());
        }, iter: 2000);
    }

    [Fact]
    public void Assign_MembersShuffled_SameOutput()
    {
        Groups.SelectMany(group => Gen.Shuffle(group.Members).Select(shuffled => (group, shuffled))).Sample(input =>
        {
            var (group, shuffled) = input;
            Assert.Equal(group.Assign(), (group with { Members = shuffled }).Assign());
        }, iter: 1000);
    }

    [Fact]
    public void Assign_MemberJoinsStableGroup_MovesNoMoreThanBalanceNeeds()
    {
        Groups.Sample(group =>
        {
            var stable = group with { Members = FedBack(group.Members, group.Assign()) };
            var before = stable.Assign();
            var joined = stable with { Members = [.. stable.Members, ("new", Subscription(Process(99)))] };

            var after = joined.Assign();

            var eligible = joined.Members.Where(m => m.Subscription.TopologyFingerprint == Fingerprint).Select(m => m.MemberId).ToArray();
            var minimal = MinimalMovement.Of(group.Tasks, [.. eligible.Select(id => before.TryGetValue(id, out var a) ? (IReadOnlyCollection<TaskId>)[.. a.ActiveTasks] : [])]);
            var moved = CountMoved(before, after);
            Assert.True(moved == minimal, $"moved {moved}, minimal {minimal}; before {Show(before)}; after {Show(after)}");
        }, iter: 2000);
    }

    private static string Show(IReadOnlyDictionary<string, TaskAssignment> result) =>
        string.Join(" ", result.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}:[{string.Join(",", e.Value.ActiveTasks)}]"));

    private sealed record Group(TaskId[] Tasks, (string MemberId, MemberSubscription Subscription)[] Members, int Standbys)
    {
        public IReadOnlyDictionary<string, TaskAssignment> Assign() => TaskAssignor.Assign(Tasks, Members, Standbys, Fingerprint);

        public override string ToString() =>
            $"tasks [{string.Join(",", Tasks)}], standbys {Standbys}, members " + string.Join("; ", Members.Select(m =>
                $"{m.MemberId}@{m.Subscription.ProcessId.ToString()[..8]} {m.Subscription.TopologyFingerprint} active [{string.Join(",", m.Subscription.ActiveTasks)}] standby [{string.Join(",", m.Subscription.StandbyTasks)}]"));
    }
}
