namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>
/// A set of partitions named by topic id and partition index, as the consumer group protocol
/// (KIP-848) names them on the wire. Topics with no partitions are never kept, so two assignments with
/// the same partitions are <see cref="SetEquals"/> whatever their history. Not thread-safe; owned by
/// the group that guards it.
/// </summary>
internal sealed class PartitionAssignment
{
    private readonly Dictionary<Guid, SortedSet<int>> _topics = [];

    /// <summary>The topics with at least one partition, with their partition indexes in ascending order.</summary>
    public IReadOnlyDictionary<Guid, SortedSet<int>> Topics => _topics;

    /// <summary>How many partitions the set holds.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the set holds no partition.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>Adds a partition; false if it was already there.</summary>
    public bool Add(Guid topicId, int partition)
    {
        if (!_topics.TryGetValue(topicId, out var partitions))
        {
            partitions = [];
            _topics[topicId] = partitions;
        }

        if (!partitions.Add(partition))
        {
            return false;
        }

        Count++;
        return true;
    }

    /// <summary>Removes a partition; false if it was not there.</summary>
    public bool Remove(Guid topicId, int partition)
    {
        if (!_topics.TryGetValue(topicId, out var partitions) || !partitions.Remove(partition))
        {
            return false;
        }

        if (partitions.Count == 0)
        {
            _topics.Remove(topicId);
        }

        Count--;
        return true;
    }

    /// <summary>Whether the set holds the partition.</summary>
    public bool Contains(Guid topicId, int partition) => _topics.TryGetValue(topicId, out var partitions) && partitions.Contains(partition);

    /// <summary>Every partition, topic by topic.</summary>
    public IEnumerable<(Guid TopicId, int Partition)> All()
    {
        foreach (var (topicId, partitions) in _topics)
        {
            foreach (var partition in partitions)
            {
                yield return (topicId, partition);
            }
        }
    }

    /// <summary>Whether both sets hold exactly the same partitions.</summary>
    public bool SetEquals(PartitionAssignment other) => Count == other.Count && IsSubsetOf(other);

    /// <summary>Whether every partition of this set is in <paramref name="other"/>.</summary>
    public bool IsSubsetOf(PartitionAssignment other)
    {
        foreach (var (topicId, partition) in All())
        {
            if (!other.Contains(topicId, partition))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether any partition of this set is in <paramref name="other"/>.</summary>
    public bool Overlaps(PartitionAssignment other)
    {
        foreach (var (topicId, partition) in All())
        {
            if (other.Contains(topicId, partition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A copy of this set.</summary>
    public PartitionAssignment Clone()
    {
        var copy = new PartitionAssignment();
        foreach (var (topicId, partition) in All())
        {
            copy.Add(topicId, partition);
        }

        return copy;
    }
}
