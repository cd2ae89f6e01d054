namespace Freshet.Cli.Groups;

/// <summary>A topic partition, ordered by topic then partition.</summary>
internal readonly record struct TopicPartitionId(string Topic, int Partition) : IComparable<TopicPartitionId>
{
    /// <inheritdoc/>
    public int CompareTo(TopicPartitionId other)
    {
        var byTopic = string.CompareOrdinal(Topic, other.Topic);
        return byTopic != 0 ? byTopic : Partition.CompareTo(other.Partition);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Topic}-{Partition.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
