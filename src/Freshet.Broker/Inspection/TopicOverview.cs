namespace Freshet.Broker.Inspection;

/// <summary>
/// One topic as <see cref="KafkaBroker.DescribeTopics"/> saw it: a read-only snapshot for dashboards and tools, not kept
/// up to date. Immutable; thread-safe.
/// </summary>
/// <param name="Name">The topic name.</param>
/// <param name="IsInternal">Whether the topic is one of the broker's own logs (<c>__consumer_offsets</c>,
/// <c>__transaction_state</c>), which clients cannot produce to, list or delete.</param>
/// <param name="Partitions">One entry per partition, by partition number ascending.</param>
public sealed record TopicOverview(string Name, bool IsInternal, IReadOnlyList<PartitionOverview> Partitions);
