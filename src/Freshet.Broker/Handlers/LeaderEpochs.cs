using Freshet.Log.Partitions;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Kafka's fencing of requests that carry the leader epoch the client knows (Fetch v9+, ListOffsets v4+,
/// OffsetForLeaderEpoch v2+, KIP-320): -1 means the client does not know it and is not checked; an epoch
/// below the partition's <see cref="Partition.LeaderEpoch"/> comes from stale metadata (FENCED_LEADER_EPOCH,
/// 74); one above it from a leader this broker has not caught up with (UNKNOWN_LEADER_EPOCH, 76). On a
/// single node every partition's epoch is 0, so only a client that invented an epoch is refused.
/// Stateless; thread-safe.
/// </summary>
internal static class LeaderEpochs
{
    /// <summary>The epoch a client sends when it does not know one.</summary>
    public const int Unknown = -1;

    /// <summary>The error for a request carrying <paramref name="currentLeaderEpoch"/>, or 0 when it may proceed.</summary>
    public static short Check(int currentLeaderEpoch) => currentLeaderEpoch switch
    {
        Unknown => KafkaErrorCode.None,
        < Partition.LeaderEpoch => KafkaErrorCode.FencedLeaderEpoch,
        > Partition.LeaderEpoch => KafkaErrorCode.UnknownLeaderEpoch,
        _ => KafkaErrorCode.None,
    };
}
