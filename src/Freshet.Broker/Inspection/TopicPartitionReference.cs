namespace Freshet.Broker.Inspection;

/// <summary>A partition named by its topic and number. Immutable; thread-safe.</summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Partition">The partition number, from 0.</param>
public sealed record TopicPartitionReference(string Topic, int Partition);
