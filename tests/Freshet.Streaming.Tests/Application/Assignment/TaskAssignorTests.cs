using Freshet.Streaming.Application.Assignment;
using static Freshet.Streaming.Tests.Application.Assignment.AssignorFixtures;

namespace Freshet.Streaming.Tests.Application.Assignment;

/// <summary>One test per rule of the task assignor, on small groups whose right answer can be worked out by hand.</summary>
public sealed class TaskAssignorTests
{
    [Fact]
    public void Assign_FingerprintDiffers_MemberRefusedOthersShareAllTasks()
    {
        var tasks = TasksOf(6);
        (string, MemberSubscription)[] members =
        [
            ("a", Subscription(Process(1))),
            ("b", Subscription(Process(2), active: tasks[..3], fingerprint: "fp-other")),
            ("c", Subscription(Process(3))),
        ];

        var result = TaskAssignor.Assign(tasks, members, standbyReplicas: 1, Fingerprint);

        Assert.Equal(TaskAssignment.Refused(AssignmentError.TopologyMismatch, Fingerprint), result["b"]);
        Assert.Equal(3, result["a"].ActiveTasks.Count);
        Assert.Equal(3, result["c"].ActiveTasks.Count);
        Assert.Equal(result["c"].ActiveTasks, result["a"].StandbyTasks);
        AssertInvariants(tasks, members, 1, result);
    }

    [Fact]
    public void Assign_MembershipUnchanged_AssignmentUnchanged()
    {
        var tasks = TasksOf(6, 4, 1);
        (string, MemberSubscription)[] members =
        [
            ("a", Subscription(Process(1))), ("b", Subscription(Process(1))), ("c", Subscription(Process(2))), ("d", Subscription(Process(3))),
        ];

        var first = TaskAssignor.Assign(tasks, members, 1, Fingerprint);
        var second = TaskAssignor.Assign(tasks, FedBack(members, first), 1, Fingerprint);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Assign_BalancedPreviousOwners_KeepTheirTasks()
    {
        var tasks = TasksOf(4);
        (string, MemberSubscription)[] members =
        [
            ("a", Subscription(Process(1), active: [tasks[1], tasks[3]])),
            ("b", Subscription(Process(2), active: [tasks[0], tasks[2]])),
        ];

        var result = TaskAssignor.Assign(tasks, members, 0, Fingerprint);

        Assert.Equal([tasks[1], tasks[3]], result["a"].ActiveTasks);
        Assert.Equal([tasks[0], tasks[2]], result["b"].ActiveTasks);
    }

    [Fact]
    public void Assign_MemberLeaves_ItsTasksGoToTheirStandbyHolders()
    {
        var tasks = TasksOf(6);
        (string, MemberSubscription)[] before =
        [
            ("a", Subscription(Process(1), active: [tasks[0], tasks[1]], standby: [tasks[4]])),
            ("b", Subscription(Process(2), active: [tasks[2], tasks[3]], standby: [tasks[5]])),
            ("c", Subscription(Process(3), active: [tasks[4], tasks[5]], standby: [tasks[0], tasks[1], tasks[2], tasks[3]])),
        ];

        var result = TaskAssignor.Assign(tasks, before[..2], 1, Fingerprint);

        Assert.Equal([tasks[0], tasks[1], tasks[4]], result["a"].ActiveTasks);
        Assert.Equal([tasks[2], tasks[3], tasks[5]], result["b"].ActiveTasks);
        AssertInvariants(tasks, before[..2], 1, result);
    }

    [Fact]
    public void Assign_OwnerGoneNoStandby_TaskGoesToLargestOffsetSum()
    {
        var tasks = TasksOf(3);
        var gone = tasks[2];
        (string, MemberSubscription)[] members =
        [
            ("a", Subscription(Process(1), active: [tasks[0]], offsetSums: new Dictionary<TaskId, long> { [gone] = 10 })),
            ("b", Subscription(Process(2), active: [tasks[1]], offsetSums: new Dictionary<TaskId, long> { [gone] = 900 })),
            ("c", Subscription(Process(3))),
        ];

        var result = TaskAssignor.Assign(tasks, members, 0, Fingerprint);

        // c is the least loaded, but b has the most state for the task and balance allows it 1 more.
        Assert.Equal([tasks[1]], result["b"].ActiveTasks);
        Assert.Equal([gone], result["c"].ActiveTasks);

        members[2] = ("c", Subscription(Process(3), active: [tasks[2]]));
        members = [members[0], members[1]];
        result = TaskAssignor.Assign(tasks, members, 0, Fingerprint);
        Assert.Equal([tasks[1], gone], result["b"].ActiveTasks);
    }

    [Fact]
    public void Assign_TwoMembersClaimOneTask_TheWarmerKeepsIt()
    {
        var tasks = TasksOf(2);
        (string, MemberSubscription)[] members =
        [
            ("a", Subscription(Process(1), active: [tasks[0]], offsetSums: new Dictionary<TaskId, long> { [tasks[0]] = 5 })),
            ("b", Subscription(Process(2), active: [tasks[0]], offsetSums: new Dictionary<TaskId, long> { [tasks[0]] = 50 })),
        ];

        var result = TaskAssignor.Assign(tasks, members, 0, Fingerprint);

        Assert.Equal([tasks[0]], result["b"].ActiveTasks);
        Assert.Equal([tasks[1]], result["a"].ActiveTasks);
    }

    [Fact]
    public void Assign_MemberJoins_OnlyTheBalancingShareMoves()
    {
        var tasks = TasksOf(6, 6);
        (string, MemberSubscription)[] three = [("a", Subscription(Process(1))), ("b", Subscription(Process(2))), ("c", Subscription(Process(3)))];
        var before = TaskAssignor.Assign(tasks, three, 1, Fingerprint);
        Assert.All(before.Values, assignment => Assert.Equal(4, assignment.ActiveTasks.Count));

        (string, MemberSubscription)[] four = [.. FedBack(three, before), ("d", Subscription(Process(4)))];
        var after = TaskAssignor.Assign(tasks, four, 1, Fingerprint);

        // 12 tasks over 4 members is 3 each: each old member gives exactly one task to the new one.
        Assert.Equal(3, CountMoved(before, after));
        Assert.Equal(3, after["d"].ActiveTasks.Count);
        Assert.All(three, member => Assert.Subset(before[member.Item1].ActiveTasks.ToHashSet(), after[member.Item1].ActiveTasks.ToHashSet()));
        AssertInvariants(tasks, four, 1, after);
    }

    [Fact]
    public void Assign_OneSubTopologyPerMember_SpreadsEachSubTopology()
    {
        var tasks = TasksOf(4, 4);
        (string, MemberSubscription)[] members =
        [
            ("a", Subscription(Process(1), active: tasks[..4])),
            ("b", Subscription(Process(2), active: tasks[4..])),
        ];

        var result = TaskAssignor.Assign(tasks, members, 0, Fingerprint);

        Assert.All(result.Values, assignment =>
        {
            Assert.Equal(2, assignment.ActiveTasks.Count(t => t.SubTopology == 0));
            Assert.Equal(2, assignment.ActiveTasks.Count(t => t.SubTopology == 1));
        });
    }

    [Fact]
    public void Assign_ThreadsOfOneProcess_StandbyOnTheOtherProcess()
    {
        var tasks = TasksOf(6);
        (string, MemberSubscription)[] members =
        [
            ("p1-t1", Subscription(Process(1))), ("p1-t2", Subscription(Process(1))), ("p2-t1", Subscription(Process(2))),
        ];

        var result = TaskAssignor.Assign(tasks, members, 1, Fingerprint);

        var onProcess1 = result["p1-t1"].ActiveTasks.Concat(result["p1-t2"].ActiveTasks).Order();
        Assert.Equal(onProcess1, result["p2-t1"].StandbyTasks);
        Assert.Equal(result["p2-t1"].ActiveTasks, result["p1-t1"].StandbyTasks.Concat(result["p1-t2"].StandbyTasks).Order());
        AssertInvariants(tasks, members, 1, result);
    }

    [Fact]
    public void Assign_MoreReplicasThanOtherProcesses_CopiesCappedByProcesses()
    {
        var tasks = TasksOf(4);
        (string, MemberSubscription)[] twoProcesses =
        [
            ("a", Subscription(Process(1))), ("b", Subscription(Process(1))), ("c", Subscription(Process(2))),
        ];

        var result = TaskAssignor.Assign(tasks, twoProcesses, standbyReplicas: 3, Fingerprint);
        Assert.Equal(tasks.Length, result.Values.Sum(assignment => assignment.StandbyTasks.Count));
        AssertInvariants(tasks, twoProcesses, 3, result);

        (string, MemberSubscription)[] oneProcess = [("a", Subscription(Process(1))), ("b", Subscription(Process(1)))];
        result = TaskAssignor.Assign(tasks, oneProcess, standbyReplicas: 2, Fingerprint);
        Assert.All(result.Values, assignment => Assert.Empty(assignment.StandbyTasks));
    }

    [Fact]
    public void Assign_SymmetricProcesses_StandbysBalanced()
    {
        var tasks = TasksOf(6, 3);
        (string, MemberSubscription)[] members = [.. Enumerable.Range(1, 3).Select(i => ($"m{i}", Subscription(Process(i))))];

        var result = TaskAssignor.Assign(tasks, members, 2, Fingerprint);

        Assert.All(result.Values, assignment => Assert.Equal(6, assignment.StandbyTasks.Count));
        AssertInvariants(tasks, members, 2, result);
    }

    [Fact]
    public void Assign_PreviousActiveLosesTask_BecomesItsStandby()
    {
        var tasks = TasksOf(4);
        (string, MemberSubscription)[] members =
        [
            ("a", Subscription(Process(1), active: tasks)),
            ("b", Subscription(Process(2))),
            ("c", Subscription(Process(3))),
        ];

        var result = TaskAssignor.Assign(tasks, members, 1, Fingerprint);

        // a keeps 2 of its 4 tasks; it still has the state of the 2 that moved, so it keeps them warm.
        var moved = tasks.Except(result["a"].ActiveTasks).ToArray();
        Assert.Equal(2, moved.Length);
        Assert.Equal(moved, result["a"].StandbyTasks);
    }

    [Fact]
    public void Assign_AnyMemberOrder_SameResult()
    {
        var tasks = TasksOf(5, 3);
        (string, MemberSubscription)[] members =
        [
            ("z", Subscription(Process(2), active: [tasks[0]])),
            ("y", Subscription(Process(1), standby: [tasks[1]])),
            ("x", Subscription(Process(2))),
            ("w", Subscription(Process(3), offsetSums: new Dictionary<TaskId, long> { [tasks[6]] = 7 })),
        ];
        var expected = TaskAssignor.Assign(tasks, members, 1, Fingerprint);

        foreach (var order in Permutations(members))
        {
            Assert.Equal(expected, TaskAssignor.Assign([.. tasks.Reverse()], order, 1, Fingerprint));
        }
    }

    [Fact]
    public void Assign_StaleTaskInSubscription_Ignored()
    {
        var tasks = TasksOf(2);
        (string, MemberSubscription)[] members = [("a", Subscription(Process(1), active: [new TaskId(7, 0), tasks[0]]))];

        var result = TaskAssignor.Assign(tasks, members, 0, Fingerprint);

        Assert.Equal(tasks, result["a"].ActiveTasks);
    }

    [Fact]
    public void Assign_NoTasks_EveryMemberEmpty()
    {
        (string, MemberSubscription)[] members = [("a", Subscription(Process(1))), ("b", Subscription(Process(2)))];
        var result = TaskAssignor.Assign([], members, 1, Fingerprint);
        Assert.All(result.Values, assignment => Assert.Equal(new TaskAssignment(AssignmentError.None, Fingerprint, [], []), assignment));
    }

    [Fact]
    public void Assign_BadArguments_Throw()
    {
        (string, MemberSubscription)[] members = [("a", Subscription(Process(1)))];
        Assert.Throws<ArgumentException>(() => TaskAssignor.Assign([new TaskId(0, 0), new TaskId(0, 0)], members, 0, Fingerprint));
        Assert.Throws<ArgumentException>(() => TaskAssignor.Assign(TasksOf(1), [members[0], members[0]], 0, Fingerprint));
        Assert.Throws<ArgumentOutOfRangeException>(() => TaskAssignor.Assign(TasksOf(1), members, -1, Fingerprint));
    }

    private static IEnumerable<T[]> Permutations<T>(T[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => (T[])[item, .. rest]));
}
