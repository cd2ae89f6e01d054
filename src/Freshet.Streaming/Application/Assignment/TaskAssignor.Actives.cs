namespace Freshet.Streaming.Application.Assignment;

/// <summary>The steps that place active tasks, run in this order.</summary>
internal static partial class TaskAssignor
{
    /// <summary>
    /// Places every task on exactly one member, each member running exactly its quota of each sub-topology
    /// (<see cref="ChooseQuotas"/>): first the tasks it ran before, then tasks whose owner is gone on the members with
    /// the most state for them, then the rest on the members with the most free quota.
    /// </summary>
    private static void PlaceActives(AssignmentPlan plan)
    {
        var previousOwners = PreviousOwners(plan);
        var quotas = ChooseQuotas(plan, previousOwners);
        KeepPreviousOwners(plan, previousOwners, quotas);
        PlaceOnWarmMembers(plan, quotas);
        FillFreeQuotas(plan, quotas);
    }

    /// <summary>
    /// Who ran each task before. When several members claim one task (a member that missed a rebalance), the one
    /// with the most state for it counts as its owner, ties to the lower rank.
    /// </summary>
    private static Dictionary<TaskId, AssignorMember> PreviousOwners(AssignmentPlan plan)
    {
        var owners = new Dictionary<TaskId, AssignorMember>();
        foreach (var task in plan.Tasks)
        {
            foreach (var member in plan.Members)
            {
                if (member.RanActive(task) && (!owners.TryGetValue(task, out var owner) || member.Warmth(task) > owner.Warmth(task)))
                {
                    owners[task] = member;
                }
            }
        }

        return owners;
    }

    /// <summary>Stickiness: each member keeps the tasks it ran, in task order, up to its quota of their sub-topology.</summary>
    private static void KeepPreviousOwners(AssignmentPlan plan, Dictionary<TaskId, AssignorMember> previousOwners, int[][] quotas)
    {
        foreach (var task in plan.Tasks)
        {
            if (previousOwners.TryGetValue(task, out var owner) && FreeQuota(plan, quotas, owner, task.SubTopology) > 0)
            {
                plan.AssignActive(task, owner);
            }
        }
    }

    /// <summary>
    /// Warm state: of the tasks still without a member, each goes to the member with free quota that has the most
    /// state for it, warmest pairs first.
    /// </summary>
    private static void PlaceOnWarmMembers(AssignmentPlan plan, int[][] quotas)
    {
        var pairs = new List<(long Warmth, TaskId Task, AssignorMember Member)>();
        foreach (var task in plan.Tasks)
        {
            if (plan.ActiveOwner(task) is not null)
            {
                continue;
            }

            foreach (var member in plan.Members)
            {
                if (member.Warmth(task) is { } warmth && FreeQuota(plan, quotas, member, task.SubTopology) > 0)
                {
                    pairs.Add((warmth, task, member));
                }
            }
        }

        pairs.Sort((left, right) =>
        {
            var order = right.Warmth.CompareTo(left.Warmth);
            order = order != 0 ? order : left.Task.CompareTo(right.Task);
            return order != 0 ? order : left.Member.Order.CompareTo(right.Member.Order);
        });
        foreach (var (_, task, member) in pairs)
        {
            if (plan.ActiveOwner(task) is null && FreeQuota(plan, quotas, member, task.SubTopology) > 0)
            {
                plan.AssignActive(task, member);
            }
        }
    }

    /// <summary>
    /// The remaining tasks go, in task order, to the member with the most free quota in their sub-topology (ties to
    /// the lower rank). The quotas of a sub-topology add up to its task count, so every task finds a member.
    /// </summary>
    private static void FillFreeQuotas(AssignmentPlan plan, int[][] quotas)
    {
        foreach (var task in plan.Tasks)
        {
            if (plan.ActiveOwner(task) is not null)
            {
                continue;
            }

            var best = plan.Members[0];
            foreach (var member in plan.Members)
            {
                if (FreeQuota(plan, quotas, member, task.SubTopology) > FreeQuota(plan, quotas, best, task.SubTopology))
                {
                    best = member;
                }
            }

            if (FreeQuota(plan, quotas, best, task.SubTopology) <= 0)
            {
                throw new InvalidOperationException($"The quotas of sub-topology {task.SubTopology} leave no member for task {task}.");
            }

            plan.AssignActive(task, best);
        }
    }

    private static int FreeQuota(AssignmentPlan plan, int[][] quotas, AssignorMember member, int subTopology) =>
        quotas[member.Order][plan.IndexOf(subTopology)] - member.ActiveIn(subTopology);
}
