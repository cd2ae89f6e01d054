namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>
/// The "uniform" server assignor (the default, as in Kafka): spreads all partitions so that the
/// partition counts of members that could take each other's partitions differ by at most one, and
/// moves as few partitions as it can. It keeps each partition with its previous owner while that
/// member is still subscribed to the topic and below its fair share, gives the rest to the subscribed
/// member with the fewest partitions, then moves partitions from the most loaded members to less
/// loaded subscribed ones until no move narrows the gap. Ties break by member id, so the result is
/// deterministic. Stateless; thread-safe.
/// </summary>
internal sealed class UniformAssignor : IServerAssignor
{
    /// <inheritdoc/>
    public string Name => "uniform";

    /// <inheritdoc/>
    public Dictionary<string, PartitionAssignment> Assign(
        IReadOnlyDictionary<string, IReadOnlySet<Guid>> subscriptions,
        IReadOnlyDictionary<Guid, int> partitionCounts,
        IReadOnlyDictionary<string, PartitionAssignment> previous)
    {
        var members = subscriptions.Keys.Order(StringComparer.Ordinal).ToArray();
        var result = new Dictionary<string, PartitionAssignment>(StringComparer.Ordinal);
        foreach (var memberId in members)
        {
            result[memberId] = new PartitionAssignment();
        }

        var partitions = new List<(Guid TopicId, int Partition)>();
        foreach (var (topicId, count) in partitionCounts.OrderBy(t => t.Key))
        {
            if (members.Any(m => subscriptions[m].Contains(topicId)))
            {
                for (var p = 0; p < count; p++)
                {
                    partitions.Add((topicId, p));
                }
            }
        }

        if (members.Length == 0)
        {
            return result;
        }

        var fairShare = (partitions.Count + members.Length - 1) / members.Length;
        var unassigned = new List<(Guid TopicId, int Partition)>();
        foreach (var (topicId, partition) in partitions)
        {
            var kept = false;
            foreach (var (memberId, assignment) in previous)
            {
                if (assignment.Contains(topicId, partition)
                    && result.TryGetValue(memberId, out var target)
                    && subscriptions[memberId].Contains(topicId)
                    && target.Count < fairShare)
                {
                    target.Add(topicId, partition);
                    kept = true;
                    break;
                }
            }

            if (!kept)
            {
                unassigned.Add((topicId, partition));
            }
        }

        foreach (var (topicId, partition) in unassigned)
        {
            var least = LeastLoaded(members, result, subscriptions, topicId);
            result[least!].Add(topicId, partition);
        }

        Balance(members, result, subscriptions);
        return result;
    }

    private static string? LeastLoaded(string[] members, Dictionary<string, PartitionAssignment> result, IReadOnlyDictionary<string, IReadOnlySet<Guid>> subscriptions, Guid topicId)
    {
        string? least = null;
        foreach (var memberId in members)
        {
            if (subscriptions[memberId].Contains(topicId) && (least is null || result[memberId].Count < result[least].Count))
            {
                least = memberId;
            }
        }

        return least;
    }

    // Each move lowers the sum of squared counts, so the loop ends; with every member subscribed to the
    // same topics it ends with counts that differ by at most one.
    private static void Balance(string[] members, Dictionary<string, PartitionAssignment> result, IReadOnlyDictionary<string, IReadOnlySet<Guid>> subscriptions)
    {
        var moved = true;
        while (moved)
        {
            moved = false;
            foreach (var donor in members.OrderByDescending(m => result[m].Count).ThenBy(m => m, StringComparer.Ordinal))
            {
                foreach (var (topicId, partition) in result[donor].All().Reverse().ToArray())
                {
                    var receiver = LeastLoaded(members, result, subscriptions, topicId);
                    if (receiver is not null && result[receiver].Count + 1 < result[donor].Count)
                    {
                        result[donor].Remove(topicId, partition);
                        result[receiver].Add(topicId, partition);
                        moved = true;
                        break;
                    }
                }

                if (moved)
                {
                    break;
                }
            }
        }
    }
}
