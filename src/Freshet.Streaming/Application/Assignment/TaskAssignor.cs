namespace Freshet.Streaming.Application.Assignment;

/// <summary>
/// The group leader's assignment of application tasks to members: a pure, deterministic function of the tasks, the
/// members' subscriptions, the number of standby replicas and the leader's job graph fingerprint. The same inputs in
/// any member order give the same output, because members are ranked by (process id, member id) and every tie is
/// broken by that rank.
/// <para>The rules, in priority order:</para>
/// <list type="number">
/// <item>A member whose topology fingerprint differs from the leader's gets <see cref="AssignmentError.TopologyMismatch"/>,
/// the leader's fingerprint and no tasks; the others are assigned as if it were absent.</item>
/// <item>Every task runs on exactly one member, and the members' active task counts differ by at most 1. Each
/// sub-topology's tasks are spread the same way (counts per member differ by at most 1), so no member gets all of a
/// heavy sub-topology. Balance is per member: a process with more members (threads) gets more tasks.</item>
/// <item>Sticky: a task stays on the member that ran it while balance allows. Of all assignments balanced and spread
/// as above, one that moves the fewest tasks is chosen (<see cref="ChooseQuotas"/>). The output fed back as
/// subscriptions assigns the same again, so unchanged membership changes nothing.</item>
/// <item>Warm state: a task whose member is gone goes to the member with the most state for it (largest offset sum,
/// or a standby copy), balance permitting.</item>
/// <item>Standbys: each task gets min(standby replicas, processes - 1) standby copies, each on a process that neither
/// runs the task nor holds another copy of it, preferring members that already have its state, balanced across
/// members as far as those rules allow.</item>
/// </list>
/// <para>Warm-up: Kafka Streams keeps a task on a caught-up member while a new member restores it (probing
/// rebalances). This assignor does the simpler thing: it balances at once, and a task that moves to a member without
/// its state restores there before it processes; standby replicas are what keep failover fast.</para>
/// </summary>
internal static partial class TaskAssignor
{
    /// <summary>
    /// Assigns <paramref name="tasks"/> to <paramref name="members"/>. Returns one assignment per member id, active and
    /// standby tasks in task order.
    /// </summary>
    /// <param name="tasks">Every task of the application, distinct, in any order.</param>
    /// <param name="members">The group's members with their decoded subscriptions; member ids distinct.</param>
    /// <param name="standbyReplicas">Standby copies wanted per task, 0 or more.</param>
    /// <param name="leaderFingerprint">The leader's job graph fingerprint: the group's.</param>
    public static IReadOnlyDictionary<string, TaskAssignment> Assign(
        IReadOnlyList<TaskId> tasks,
        IReadOnlyList<(string MemberId, MemberSubscription Subscription)> members,
        int standbyReplicas,
        string leaderFingerprint)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(leaderFingerprint);
        ArgumentOutOfRangeException.ThrowIfNegative(standbyReplicas);
        MemberSubscription.RequireDistinct(tasks, nameof(tasks));

        var assignments = new Dictionary<string, TaskAssignment>(StringComparer.Ordinal);
        var eligible = new List<(string MemberId, MemberSubscription Subscription)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (memberId, subscription) in members)
        {
            ArgumentNullException.ThrowIfNull(memberId, nameof(members));
            ArgumentNullException.ThrowIfNull(subscription, nameof(members));
            if (!seen.Add(memberId))
            {
                throw new ArgumentException($"Member {memberId} appears twice.", nameof(members));
            }

            if (string.Equals(subscription.TopologyFingerprint, leaderFingerprint, StringComparison.Ordinal))
            {
                eligible.Add((memberId, subscription));
            }
            else
            {
                assignments[memberId] = TaskAssignment.Refused(AssignmentError.TopologyMismatch, leaderFingerprint);
            }
        }

        if (eligible.Count == 0)
        {
            return assignments;
        }

        var plan = new AssignmentPlan([.. tasks.Order()], RankMembers(eligible));
        PlaceActives(plan);
        PlaceStandbys(plan, Math.Min(standbyReplicas, plan.ProcessCount - 1));

        foreach (var member in plan.Members)
        {
            assignments[member.MemberId] = new TaskAssignment(AssignmentError.None, leaderFingerprint, [.. member.Active], [.. member.Standby]);
        }

        return assignments;
    }

    /// <summary>Sorts the members by (process id, member id) and numbers their processes densely in that order.</summary>
    private static AssignorMember[] RankMembers(List<(string MemberId, MemberSubscription Subscription)> members)
    {
        members.Sort((left, right) =>
        {
            var byProcess = left.Subscription.ProcessId.CompareTo(right.Subscription.ProcessId);
            return byProcess != 0 ? byProcess : string.CompareOrdinal(left.MemberId, right.MemberId);
        });

        var ranked = new AssignorMember[members.Count];
        var process = -1;
        for (var i = 0; i < members.Count; i++)
        {
            if (i == 0 || members[i].Subscription.ProcessId != members[i - 1].Subscription.ProcessId)
            {
                process++;
            }

            ranked[i] = new AssignorMember(members[i].MemberId, members[i].Subscription, i, process);
        }

        return ranked;
    }
}
