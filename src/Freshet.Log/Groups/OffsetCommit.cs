namespace Freshet.Log.Groups;

/// <summary>One partition's position in a batch commit (<see cref="GroupOffsetStore.Commit(string, IReadOnlyList{OffsetCommit})"/>).</summary>
/// <param name="Topic">The topic; a legal topic name.</param>
/// <param name="Partition">The partition number, at least 0.</param>
/// <param name="Offset">The offset to commit: the next record the group will consume. Stored as given, as Kafka does:
/// some clients commit the sentinels -1 (none) and -2 (earliest) and resolve them themselves.</param>
/// <param name="Metadata">Optional text stored with the offset, at most <see cref="GroupOffsetStore.MaxMetadataLength"/> characters; null is stored as empty.</param>
/// <param name="LeaderEpoch">The leader epoch the consumer saw at <paramref name="Offset"/>, or -1.</param>
public readonly record struct OffsetCommit(string Topic, int Partition, long Offset, string? Metadata = null, int LeaderEpoch = -1);
