namespace Freshet.Streaming.Application.Assignment;

/// <summary>How many tasks of each sub-topology each member runs.</summary>
internal static partial class TaskAssignor
{
    /// <summary>
    /// Chooses quotas[member rank][sub-topology index]: with n members and T_s tasks in sub-topology s, every member
    /// runs floor(T_s / n) or one more of s, and floor(T / n) or one more in total. Such quotas always exist (deal
    /// each sub-topology's leftover tasks round-robin across members). Which members get the "one more" is chosen as
    /// a minimum-cost flow so that, first, as many tasks as possible stay with the member that ran them (the most a
    /// member keeps of s is min(tasks of s it ran, its quota of s), so an extra slot is worth keeping only where it
    /// ran more than the floor) and, second, extra slots go where state for ownerless tasks is warm. With the
    /// previous output fed back, those extra slots are exactly the ones it had and no other choice keeps as many, so
    /// the quotas and the assignment repeat.
    /// </summary>
    private static int[][] ChooseQuotas(AssignmentPlan plan, Dictionary<TaskId, AssignorMember> previousOwners)
    {
        var members = plan.Members.Count;
        var subTopologies = plan.SubTopologies.Count;
        var quotas = new int[members][];
        var leftovers = new int[subTopologies];
        for (var m = 0; m < members; m++)
        {
            quotas[m] = new int[subTopologies];
            for (var s = 0; s < subTopologies; s++)
            {
                quotas[m][s] = plan.TaskCount(plan.SubTopologies[s]) / members;
                leftovers[s] = plan.TaskCount(plan.SubTopologies[s]) % members;
            }
        }

        var extraSlots = leftovers.Sum();
        if (extraSlots == 0)
        {
            return quotas;
        }

        var worth = ExtraSlotWorth(plan, previousOwners, quotas, extraSlots);

        // Nodes: source, one per sub-topology, one per member, "one more in total", sink. A unit of flow through
        // sub-topology s and member m gives m one more task of s. Every member must take floor(extra / n) extra
        // slots (the edge to the sink costs -mustTake, cheaper than any saving elsewhere), and only extra % n
        // members may take one beyond that (through the shared node).
        var source = 0;
        var totalNode = 1 + subTopologies + members;
        var sink = totalNode + 1;
        var flow = new MinCostFlow(sink + 1);
        var mustTake = (worth.Max(row => row.Max()) * extraSlots) + 1;
        var slotEdges = new int[members][];
        for (var s = 0; s < subTopologies; s++)
        {
            flow.AddEdge(source, 1 + s, leftovers[s], 0);
        }

        for (var m = 0; m < members; m++)
        {
            slotEdges[m] = new int[subTopologies];
            for (var s = 0; s < subTopologies; s++)
            {
                slotEdges[m][s] = flow.AddEdge(1 + s, 1 + subTopologies + m, 1, -worth[m][s]);
            }

            flow.AddEdge(1 + subTopologies + m, sink, extraSlots / members, -mustTake);
            flow.AddEdge(1 + subTopologies + m, totalNode, 1, 0);
        }

        flow.AddEdge(totalNode, sink, extraSlots % members, 0);
        if (flow.Run(source, sink, extraSlots) != extraSlots)
        {
            throw new InvalidOperationException($"No balanced quotas found for {extraSlots} leftover tasks over {members} members.");
        }

        for (var m = 0; m < members; m++)
        {
            for (var s = 0; s < subTopologies; s++)
            {
                quotas[m][s] += flow.Flow(slotEdges[m][s]);
            }
        }

        return quotas;
    }

    /// <summary>
    /// What one extra slot of sub-topology s is worth to member m: more than all warm slots together when it lets m
    /// keep a task it ran; otherwise 1 when m has state for an ownerless task of s it could run in the slot, 2 when
    /// it is the warmest member for one; otherwise 0.
    /// </summary>
    private static long[][] ExtraSlotWorth(AssignmentPlan plan, Dictionary<TaskId, AssignorMember> previousOwners, int[][] floors, int extraSlots)
    {
        var keepsTask = (2L * extraSlots) + 1;
        var ran = new int[plan.Members.Count][];
        var warm = new int[plan.Members.Count][];
        var warmest = new bool[plan.Members.Count][];
        foreach (var member in plan.Members)
        {
            ran[member.Order] = new int[plan.SubTopologies.Count];
            warm[member.Order] = new int[plan.SubTopologies.Count];
            warmest[member.Order] = new bool[plan.SubTopologies.Count];
        }

        foreach (var task in plan.Tasks)
        {
            var s = plan.IndexOf(task.SubTopology);
            if (previousOwners.TryGetValue(task, out var owner))
            {
                ran[owner.Order][s]++;
                continue;
            }

            AssignorMember? warmestMember = null;
            foreach (var member in plan.Members)
            {
                if (member.Warmth(task) is not null)
                {
                    warm[member.Order][s]++;
                    if (warmestMember is null || AssignorMember.IsWarmer(member.Warmth(task), warmestMember.Warmth(task)))
                    {
                        warmestMember = member;
                    }
                }
            }

            if (warmestMember is not null)
            {
                warmest[warmestMember.Order][s] = true;
            }
        }

        var worth = new long[plan.Members.Count][];
        foreach (var member in plan.Members)
        {
            var m = member.Order;
            worth[m] = new long[plan.SubTopologies.Count];
            for (var s = 0; s < plan.SubTopologies.Count; s++)
            {
                worth[m][s] = ran[m][s] > floors[m][s] ? keepsTask
                    : ran[m][s] + warm[m][s] > floors[m][s] ? (warmest[m][s] ? 2 : 1)
                    : 0;
            }
        }

        return worth;
    }
}
