namespace Freshet.Streaming.Application.Changelog;

/// <summary>One partition of a changelog topic (a Kafka topic-partition).</summary>
/// <param name="Topic">The topic's name.</param>
/// <param name="Partition">The partition's index, from 0.</param>
internal readonly record struct ChangelogPartition(string Topic, int Partition)
{
    /// <summary>Kafka's <c>topic-partition</c> form, for messages.</summary>
    public override string ToString() => $"{Topic}-{Partition}";
}
