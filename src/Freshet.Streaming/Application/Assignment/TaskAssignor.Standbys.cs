namespace Freshet.Streaming.Application.Assignment;

/// <summary>The steps that place standby copies, after every task has its active member.</summary>
internal static partial class TaskAssignor
{
    /// <summary>
    /// Gives every task <paramref name="copies"/> standby copies (at most processes - 1, so there is always a process
    /// left to take one): first where they were, then on the warmest, least loaded members, then evens the members'
    /// standby counts. Invariant throughout: a process holds at most one copy of a task, active or standby.
    /// </summary>
    private static void PlaceStandbys(AssignmentPlan plan, int copies)
    {
        if (copies <= 0)
        {
            return;
        }

        KeepPreviousStandbys(plan, copies);
        PlaceMissingStandbys(plan, copies);
        BalanceStandbyLoads(plan);
    }

    /// <summary>A standby copy stays where it was, unless that process now runs the task or already has a copy.</summary>
    private static void KeepPreviousStandbys(AssignmentPlan plan, int copies)
    {
        foreach (var task in plan.Tasks)
        {
            foreach (var member in plan.Members)
            {
                if (plan.StandbyCopies(task) < copies && member.HeldStandby(task) && plan.CanHoldStandby(member, task))
                {
                    plan.AddStandby(task, member);
                }
            }
        }
    }

    /// <summary>
    /// Adds the copies still missing. Among the members allowed to hold one, members under the balanced share
    /// (ceil(copies in total / members)) come first; among them the one with the most state for the task, then the
    /// one with the fewest standbys. A candidate always exists: fewer than processes - 1 copies leave a free process.
    /// </summary>
    private static void PlaceMissingStandbys(AssignmentPlan plan, int copies)
    {
        var share = ((plan.Tasks.Count * copies) + plan.Members.Count - 1) / plan.Members.Count;
        foreach (var task in plan.Tasks)
        {
            while (plan.StandbyCopies(task) < copies)
            {
                AssignorMember? best = null;
                foreach (var member in plan.Members)
                {
                    if (plan.CanHoldStandby(member, task) && (best is null || IsBetterStandbyHolder(member, best, task, share)))
                    {
                        best = member;
                    }
                }

                plan.AddStandby(task, best ?? throw new InvalidOperationException($"No process can take a standby of task {task}."));
            }
        }
    }

    private static bool IsBetterStandbyHolder(AssignorMember candidate, AssignorMember incumbent, TaskId task, int share)
    {
        var candidateUnder = candidate.Standby.Count < share;
        var incumbentUnder = incumbent.Standby.Count < share;
        if (candidateUnder != incumbentUnder)
        {
            return candidateUnder;
        }

        var candidateWarmth = candidate.Warmth(task);
        var incumbentWarmth = incumbent.Warmth(task);
        if (candidateWarmth != incumbentWarmth)
        {
            return AssignorMember.IsWarmer(candidateWarmth, incumbentWarmth);
        }

        return candidate.Standby.Count != incumbent.Standby.Count
            ? candidate.Standby.Count < incumbent.Standby.Count
            : candidate.Order < incumbent.Order;
    }

    /// <summary>
    /// Moves standby copies from members with at least 2 more than another to that member, where the process rule
    /// allows, until no such move exists. Each move lowers the sum of squared standby counts, so the loop ends; the
    /// counts differ by at most 1 unless the process rule forbids it (a process with one member must hold the copies
    /// of every task that runs elsewhere when there are two processes).
    /// </summary>
    private static void BalanceStandbyLoads(AssignmentPlan plan)
    {
        while (TryFindStandbyMove(plan, out var task, out var giver, out var taker))
        {
            plan.MoveStandby(task, giver, taker);
        }
    }

    /// <summary>
    /// The move of the most loaded giver to the least loaded taker that the process rule allows; of the giver's
    /// copies, first one it did not hold before, then the one the taker has the most state for, then the lowest task.
    /// </summary>
    private static bool TryFindStandbyMove(AssignmentPlan plan, out TaskId task, out AssignorMember giver, out AssignorMember taker)
    {
        var byLoad = plan.Members.OrderByDescending(member => member.Standby.Count).ThenBy(member => member.Order).ToArray();
        foreach (var candidateGiver in byLoad)
        {
            for (var t = byLoad.Length - 1; t >= 0 && candidateGiver.Standby.Count - byLoad[t].Standby.Count >= 2; t--)
            {
                TaskId? best = null;
                foreach (var copy in candidateGiver.Standby)
                {
                    if (plan.CanHoldStandby(byLoad[t], copy, leaving: candidateGiver)
                        && (best is not { } chosen
                            || (candidateGiver.HeldStandby(chosen) && !candidateGiver.HeldStandby(copy))
                            || (candidateGiver.HeldStandby(chosen) == candidateGiver.HeldStandby(copy)
                                && AssignorMember.IsWarmer(byLoad[t].Warmth(copy), byLoad[t].Warmth(chosen)))))
                    {
                        best = copy;
                    }
                }

                if (best is { } found)
                {
                    (task, giver, taker) = (found, candidateGiver, byLoad[t]);
                    return true;
                }
            }
        }

        (task, giver, taker) = (default, plan.Members[0], plan.Members[0]);
        return false;
    }
}
