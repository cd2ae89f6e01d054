namespace Freshet.Log.Topics;

/// <summary>A topic's identity, configuration and per-partition positions at the time it was described.</summary>
/// <param name="Name">The topic name.</param>
/// <param name="TopicId">The topic's unique id (Kafka's topic id), fixed at creation.</param>
/// <param name="Config">The configuration in force.</param>
/// <param name="Partitions">One entry per partition, by partition number.</param>
public sealed record TopicDescription(string Name, Guid TopicId, TopicConfig Config, IReadOnlyList<PartitionDescription> Partitions)
{
    /// <summary>
    /// Names of the settings chosen for this topic (at creation or by an alteration) rather than taken from
    /// the defaults it was created with, in ordinal order; Kafka's TOPIC_CONFIG source.
    /// </summary>
    public IReadOnlyList<string> OverriddenSettings { get; init; } = [];
}
