using Freshet.Streaming.Application.Assignment;

namespace Freshet.Streaming.Tests.Application.Assignment;

/// <summary>Builders for assignor inputs and checks of its invariants, shared by the unit and property tests.</summary>
internal static class AssignorFixtures
{
    public const string Fingerprint = "fp-leader";

    public static Guid Process(int number) => new(number, 0, 0, new byte[8]);

    /// <summary>Tasks 0..partitions-1 of each sub-topology, partitions[s] for sub-topology s.</summary>
    public static TaskId[] TasksOf(params int[] partitions) =>
        [.. partitions.SelectMany((count, subTopology) => Enumerable.Range(0, count).Select(p => new TaskId(subTopology, p)))];

    public static MemberSubscription Subscription(
        Guid process,
        IEnumerable<TaskId>? active = null,
        IEnumerable<TaskId>? standby = null,
        IReadOnlyDictionary<TaskId, long>? offsetSums = null,
        string fingerprint = Fingerprint) =>
        new(process, fingerprint, [.. active ?? []], [.. standby ?? []], offsetSums ?? new Dictionary<TaskId, long>(), null);

    /// <summary>The members again, each subscribing with what <paramref name="result"/> gave it (mismatched members unchanged).</summary>
    public static (string MemberId, MemberSubscription Subscription)[] FedBack(
        IEnumerable<(string MemberId, MemberSubscription Subscription)> members, IReadOnlyDictionary<string, TaskAssignment> result) =>
        [.. members.Select(member => (member.MemberId, member.Subscription with
        {
            ActiveTasks = result[member.MemberId].ActiveTasks,
            StandbyTasks = result[member.MemberId].StandbyTasks,
        }))];

    /// <summary>Asserts the guarantees every assignment keeps, whatever the input.</summary>
    public static void AssertInvariants(
        IReadOnlyList<TaskId> tasks,
        IReadOnlyList<(string MemberId, MemberSubscription Subscription)> members,
        int standbyReplicas,
        IReadOnlyDictionary<string, TaskAssignment> result)
    {
        Assert.Equal(members.Select(m => m.MemberId).Order(StringComparer.Ordinal), result.Keys.Order(StringComparer.Ordinal));
        var eligible = new List<(string MemberId, Guid Process, TaskAssignment Assignment)>();
        foreach (var (memberId, subscription) in members)
        {
            var assignment = result[memberId];
            Assert.Equal(Fingerprint, assignment.GroupFingerprint);
            Assert.Equal(assignment.ActiveTasks.Order(), assignment.ActiveTasks);
            Assert.Equal(assignment.StandbyTasks.Order(), assignment.StandbyTasks);
            if (subscription.TopologyFingerprint == Fingerprint)
            {
                Assert.Equal(AssignmentError.None, assignment.Error);
                eligible.Add((memberId, subscription.ProcessId, assignment));
            }
            else
            {
                Assert.Equal(AssignmentError.TopologyMismatch, assignment.Error);
                Assert.Empty(assignment.ActiveTasks);
                Assert.Empty(assignment.StandbyTasks);
            }
        }

        if (eligible.Count == 0)
        {
            return;
        }

        // Exactly one active member per task.
        Assert.Equal(tasks.Order(), eligible.SelectMany(m => m.Assignment.ActiveTasks).Order());

        // Balanced, in total and per sub-topology.
        var loads = eligible.Select(m => m.Assignment.ActiveTasks.Count).ToArray();
        Assert.True(loads.Max() - loads.Min() <= 1, $"Active loads {string.Join(",", loads)} differ by more than 1.");
        foreach (var subTopology in tasks.Select(t => t.SubTopology).Distinct())
        {
            var counts = eligible.Select(m => m.Assignment.ActiveTasks.Count(t => t.SubTopology == subTopology)).ToArray();
            Assert.True(counts.Max() - counts.Min() <= 1, $"Sub-topology {subTopology} counts {string.Join(",", counts)} differ by more than 1.");
        }

        // Standbys: the wanted number of copies, each on its own process, never the active's.
        var processes = eligible.Select(m => m.Process).Distinct().Count();
        var copies = Math.Min(standbyReplicas, processes - 1);
        foreach (var task in tasks)
        {
            var active = eligible.Single(m => m.Assignment.ActiveTasks.Contains(task));
            var holders = eligible.Where(m => m.Assignment.StandbyTasks.Contains(task)).ToArray();
            Assert.Equal(copies, holders.Length);
            var copyProcesses = holders.Select(h => h.Process).Append(active.Process).ToArray();
            Assert.Equal(copyProcesses.Length, copyProcesses.Distinct().Count());
        }
    }

    public static int CountMoved(IReadOnlyDictionary<string, TaskAssignment> before, IReadOnlyDictionary<string, TaskAssignment> after) =>
        after.Sum(entry => entry.Value.ActiveTasks.Count(task =>
            !before.TryGetValue(entry.Key, out var previous) || !previous.ActiveTasks.Contains(task)));
}
