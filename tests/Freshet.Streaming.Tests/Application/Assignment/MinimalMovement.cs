using Freshet.Streaming.Application.Assignment;

namespace Freshet.Streaming.Tests.Application.Assignment;

/// <summary>
/// Test oracle: the fewest active tasks any balanced and evenly spread assignment must move, given who ran what.
/// Every such assignment gives member m floor or ceil of sub-topology s's share (q[m,s]) with member totals balanced;
/// tasks of one sub-topology are interchangeable, so it keeps sum of min(before[m,s], q[m,s]) tasks at best. A
/// dynamic program over members (state: the ceil slots left per sub-topology and the members left that may take
/// the total's ceil) finds the best q. Exponential in sub-topologies; for small test groups only.
/// </summary>
internal static class MinimalMovement
{
    public static int Of(IReadOnlyList<TaskId> tasks, IReadOnlyList<IReadOnlyCollection<TaskId>> before)
    {
        var members = before.Count;
        var subTopologies = tasks.Select(t => t.SubTopology).Distinct().Order().ToArray();
        var floors = subTopologies.Select(s => tasks.Count(t => t.SubTopology == s) / members).ToArray();
        var ceilSlots = subTopologies.Select(s => tasks.Count(t => t.SubTopology == s) % members).ToArray();
        var extraPerMember = (tasks.Count / members) - floors.Sum();
        var membersWithOneMore = tasks.Count % members;
        var counts = before.Select(owned => subTopologies.Select(s => owned.Count(t => t.SubTopology == s)).ToArray()).ToArray();
        var memo = new Dictionary<string, int>();

        int Best(int member, int[] slots, int onesLeft)
        {
            if (member == members)
            {
                return slots.All(s => s == 0) && onesLeft == 0 ? 0 : int.MinValue / 2;
            }

            var key = $"{member}|{string.Join(",", slots)}|{onesLeft}";
            if (memo.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var best = int.MinValue / 2;
            for (var mask = 0; mask < 1 << slots.Length; mask++)
            {
                var size = int.PopCount(mask);
                if ((size != extraPerMember && size != extraPerMember + 1) || (size == extraPerMember + 1 && onesLeft == 0))
                {
                    continue;
                }

                var next = (int[])slots.Clone();
                var kept = 0;
                var valid = true;
                for (var s = 0; s < slots.Length; s++)
                {
                    var quota = floors[s] + ((mask >> s) & 1);
                    if (((mask >> s) & 1) == 1 && --next[s] < 0)
                    {
                        valid = false;
                    }

                    kept += Math.Min(counts[member][s], quota);
                }

                if (valid)
                {
                    best = Math.Max(best, kept + Best(member + 1, next, onesLeft - (size == extraPerMember + 1 ? 1 : 0)));
                }
            }

            memo[key] = best;
            return best;
        }

        return tasks.Count - Best(0, ceilSlots, membersWithOneMore);
    }
}
