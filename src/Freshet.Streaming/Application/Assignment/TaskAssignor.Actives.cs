namespace Freshet.Streaming.Application.Assignment;

/// <summary>The steps that place active tasks, run in this order.</summary>
internal static partial class TaskAssignor
{
    /// <summary>
    /// Stickiness: every task stays on the member that ran it. When several members claim one task (a member that
    /// missed a rebalance), the one with the most state for it keeps it. Loads may be unbalanced afterwards.
    /// </summary>
    private static void KeepPreviousOwners(AssignmentPlan plan)
    {
        foreach (var task in plan.Tasks)
        {
            AssignorMember? owner = null;
            foreach (var member in plan.Members)
            {
                if (member.RanActive(task) && (owner is null || member.Warmth(task) > owner.Warmth(task)))
                {
                    owner = member;
                }
            }

            if (owner is not null)
            {
                plan.AssignActive(task, owner);
            }
        }
    }

    /// <summary>
    /// Tasks without an owner (theirs left, or new tasks) go to the member with the most state for them if it has
    /// fewer than ceil(tasks / members) tasks, otherwise to the least loaded member. Afterwards every task has
    /// exactly one active member.
    /// </summary>
    private static void PlaceOrphansOnWarmMembers(AssignmentPlan plan)
    {
        var capacity = (plan.Tasks.Count + plan.Members.Count - 1) / plan.Members.Count;
        foreach (var task in plan.Tasks)
        {
            if (plan.ActiveOwner(task) is not null)
            {
                continue;
            }

            AssignorMember? warmest = null;
            foreach (var member in plan.Members)
            {
                if (member.Active.Count < capacity && member.Warmth(task) is { } warmth
                    && (warmest is null || warmth > warmest.Warmth(task)
                        || (warmth == warmest.Warmth(task) && CompareLoad(plan, member, warmest, task.SubTopology) < 0)))
                {
                    warmest = member;
                }
            }

            plan.AssignActive(task, warmest ?? LeastLoaded(plan, task.SubTopology));
        }
    }

    /// <summary>
    /// Moves tasks from the most to the least loaded member until active counts differ by at most 1. Each move goes
    /// from a member above the balanced share to one below it, so exactly the surplus moves and no member both gives
    /// and takes. The task moved is of the sub-topology the giver has most more of than the taker.
    /// </summary>
    private static void BalanceMemberLoads(AssignmentPlan plan)
    {
        while (true)
        {
            var giver = plan.Members[0];
            var taker = plan.Members[0];
            foreach (var member in plan.Members)
            {
                if (CompareLoad(plan, member, giver, subTopology: null) > 0)
                {
                    giver = member;
                }

                if (CompareLoad(plan, member, taker, subTopology: null) < 0)
                {
                    taker = member;
                }
            }

            if (giver.Active.Count - taker.Active.Count < 2)
            {
                return;
            }

            var subTopology = MostSurplusSubTopology(plan, giver, taker);
            plan.MoveActive(ChooseActiveToMove(giver, taker, subTopology), giver, taker);
        }
    }

    /// <summary>
    /// Makes every sub-topology's counts per member differ by at most 1 while keeping the member loads balanced: it
    /// moves a task of sub-topology s from the member with the most to the one with the fewest, and, when that would
    /// unbalance loads, a task of another sub-topology back. Each step lowers the sum over (member, sub-topology) of
    /// count squared, so the loop ends; it ends only when no sub-topology is uneven (if one were, the giver has fewer
    /// or as many tasks in total, so it has fewer of some other sub-topology, which a swap can take).
    /// </summary>
    private static void SpreadSubTopologies(AssignmentPlan plan)
    {
        while (true)
        {
            var (subTopology, giver, taker) = MostUnevenSubTopology(plan);
            if (giver.ActiveIn(subTopology) - taker.ActiveIn(subTopology) < 2)
            {
                return;
            }

            var giverWasLarger = giver.Active.Count > taker.Active.Count;
            plan.MoveActive(ChooseActiveToMove(giver, taker, subTopology), giver, taker);
            if (!giverWasLarger)
            {
                var back = MostSurplusSubTopology(plan, taker, giver);
                plan.MoveActive(ChooseActiveToMove(taker, giver, back), taker, giver);
            }
        }
    }

    /// <summary>The sub-topology with the largest spread of per-member counts, its fullest and its emptiest member.</summary>
    private static (int SubTopology, AssignorMember Giver, AssignorMember Taker) MostUnevenSubTopology(AssignmentPlan plan)
    {
        var best = (SubTopology: 0, Giver: plan.Members[0], Taker: plan.Members[0]);
        var bestSpread = -1;
        foreach (var subTopology in plan.SubTopologies)
        {
            var giver = plan.Members[0];
            var taker = plan.Members[0];
            foreach (var member in plan.Members)
            {
                // Prefer a giver with more tasks in total and a taker with fewer, so the move needs no swap.
                var byCount = member.ActiveIn(subTopology).CompareTo(giver.ActiveIn(subTopology));
                if (byCount > 0 || (byCount == 0 && CompareLoad(plan, member, giver, subTopology: null) > 0))
                {
                    giver = member;
                }

                byCount = member.ActiveIn(subTopology).CompareTo(taker.ActiveIn(subTopology));
                if (byCount < 0 || (byCount == 0 && CompareLoad(plan, member, taker, subTopology: null) < 0))
                {
                    taker = member;
                }
            }

            var spread = giver.ActiveIn(subTopology) - taker.ActiveIn(subTopology);
            if (spread > bestSpread)
            {
                (best, bestSpread) = ((subTopology, giver, taker), spread);
            }
        }

        return best;
    }

    /// <summary>The sub-topology of which <paramref name="giver"/> has the most more tasks than <paramref name="taker"/>, among those the giver has.</summary>
    private static int MostSurplusSubTopology(AssignmentPlan plan, AssignorMember giver, AssignorMember taker)
    {
        var best = -1;
        var bestSurplus = int.MinValue;
        foreach (var subTopology in plan.SubTopologies)
        {
            var surplus = giver.ActiveIn(subTopology) - taker.ActiveIn(subTopology);
            if (giver.ActiveIn(subTopology) > 0 && surplus > bestSurplus)
            {
                (best, bestSurplus) = (subTopology, surplus);
            }
        }

        return best;
    }

    /// <summary>
    /// Which of <paramref name="giver"/>'s tasks of <paramref name="subTopology"/> to move to <paramref name="taker"/>:
    /// first one the giver did not run before (moving it costs no stickiness), then the one the taker has the most
    /// state for, then the lowest task.
    /// </summary>
    private static TaskId ChooseActiveToMove(AssignorMember giver, AssignorMember taker, int subTopology)
    {
        TaskId? best = null;
        foreach (var task in giver.Active)
        {
            if (task.SubTopology != subTopology)
            {
                continue;
            }

            if (best is not { } chosen
                || (giver.RanActive(chosen) && !giver.RanActive(task))
                || (giver.RanActive(chosen) == giver.RanActive(task) && AssignorMember.IsWarmer(taker.Warmth(task), taker.Warmth(chosen))))
            {
                best = task;
            }
        }

        return best ?? throw new InvalidOperationException($"{giver} runs no task of sub-topology {subTopology}.");
    }

    /// <summary>The member to give a new task of <paramref name="subTopology"/>: fewest tasks, then fewest of that sub-topology, then the least loaded process, then rank.</summary>
    private static AssignorMember LeastLoaded(AssignmentPlan plan, int subTopology)
    {
        var least = plan.Members[0];
        foreach (var member in plan.Members)
        {
            if (CompareLoad(plan, member, least, subTopology) < 0)
            {
                least = member;
            }
        }

        return least;
    }

    /// <summary>
    /// Orders members by load: active task count, then (when <paramref name="subTopology"/> is given) the count in
    /// that sub-topology, then the active count of the member's process, then rank. Never 0 for distinct members.
    /// </summary>
    private static int CompareLoad(AssignmentPlan plan, AssignorMember left, AssignorMember right, int? subTopology)
    {
        var order = left.Active.Count.CompareTo(right.Active.Count);
        if (order == 0 && subTopology is { } s)
        {
            order = left.ActiveIn(s).CompareTo(right.ActiveIn(s));
        }

        if (order == 0)
        {
            order = plan.ActiveOnProcess(left.Process).CompareTo(plan.ActiveOnProcess(right.Process));
        }

        return order != 0 ? order : left.Order.CompareTo(right.Order);
    }
}
