namespace Freshet.Broker.Inspection;

/// <summary>
/// A group's committed offset in one partition and how far it is behind the partition's end. Immutable; thread-safe.
/// </summary>
/// <param name="Topic">The topic name.</param>
/// <param name="Partition">The partition number, from 0.</param>
/// <param name="CommittedOffset">The committed offset: the next record the group will consume.</param>
/// <param name="LogEndOffset">The partition's log end offset when it was read, or -1 if the partition no longer exists.</param>
/// <param name="Lag">Records between the committed offset and the log end offset (<c>LogEndOffset - CommittedOffset</c>,
/// floored at 0; 0 when the partition no longer exists), in records. Transaction markers and aborted records count, as in
/// Kafka's <c>kafka-consumer-groups</c> tool.</param>
public sealed record GroupPartitionLag(string Topic, int Partition, long CommittedOffset, long LogEndOffset, long Lag);
