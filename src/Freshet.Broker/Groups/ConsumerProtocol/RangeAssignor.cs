namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>
/// The "range" server assignor: topic by topic, the members subscribed to it (in member id order)
/// get contiguous ranges of its partitions, the first <c>partitions % members</c> members one more
/// than the others. Members subscribed to the same topics with the same partition counts therefore
/// get the same partition indexes of each topic (co-partitioning, as joins need). Stateless; thread-safe.
/// </summary>
internal sealed class RangeAssignor : IServerAssignor
{
    /// <inheritdoc/>
    public string Name => "range";

    /// <inheritdoc/>
    public Dictionary<string, PartitionAssignment> Assign(
        IReadOnlyDictionary<string, IReadOnlySet<Guid>> subscriptions,
        IReadOnlyDictionary<Guid, int> partitionCounts,
        IReadOnlyDictionary<string, PartitionAssignment> previous)
    {
        var result = new Dictionary<string, PartitionAssignment>(StringComparer.Ordinal);
        foreach (var memberId in subscriptions.Keys)
        {
            result[memberId] = new PartitionAssignment();
        }

        foreach (var (topicId, count) in partitionCounts)
        {
            var members = subscriptions.Where(s => s.Value.Contains(topicId)).Select(s => s.Key).Order(StringComparer.Ordinal).ToArray();
            if (members.Length == 0)
            {
                continue;
            }

            var each = count / members.Length;
            var extra = count % members.Length;
            var next = 0;
            for (var m = 0; m < members.Length; m++)
            {
                var take = each + (m < extra ? 1 : 0);
                for (var i = 0; i < take; i++)
                {
                    result[members[m]].Add(topicId, next++);
                }
            }
        }

        return result;
    }
}
