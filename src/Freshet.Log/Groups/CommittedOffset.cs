namespace Freshet.Log.Groups;

/// <summary>A consumer group's committed position in one partition, as <see cref="GroupOffsetStore"/> returns it.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Partition">The partition number.</param>
/// <param name="Offset">The committed offset: the next record the group will consume.</param>
/// <param name="LeaderEpoch">The leader epoch the consumer saw at that offset, or -1 if it gave none.</param>
/// <param name="Metadata">The string the consumer attached to the commit; empty when it gave none.</param>
/// <param name="CommitTimestampMs">When the commit was stored, milliseconds since the Unix epoch (the store's clock).</param>
public readonly record struct CommittedOffset(string Topic, int Partition, long Offset, int LeaderEpoch, string Metadata, long CommitTimestampMs);
