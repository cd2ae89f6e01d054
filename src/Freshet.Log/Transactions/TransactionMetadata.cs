using Freshet.Log.Groups;

namespace Freshet.Log.Transactions;

/// <summary>
/// The coordinator's mutable record of one transactional id: what <c>__transaction_state</c> stores
/// under its key. Not thread-safe: owned by the coordinator's lock.
/// </summary>
internal sealed class TransactionMetadata
{
    public TransactionMetadata(string transactionalId, long producerId, short producerEpoch, int timeoutMs)
    {
        TransactionalId = transactionalId;
        ProducerId = producerId;
        ProducerEpoch = producerEpoch;
        TimeoutMs = timeoutMs;
    }

    public string TransactionalId { get; }

    public long ProducerId { get; set; }

    public short ProducerEpoch { get; set; }

    public int TimeoutMs { get; set; }

    /// <summary>
    /// The epoch before the coordinator bumped it to abort a timed-out transaction, or -1: that producer
    /// was not fenced by another instance, so it may re-initialise with it (KIP-360). In memory only.
    /// </summary>
    public short TimedOutProducerEpoch { get; set; } = -1;

    public TransactionState State { get; set; }

    /// <summary>Partitions of the open transaction (or of the last one, kept after it completed so recovery can repeat its markers).</summary>
    public List<TransactionPartition> Partitions { get; } = [];

    /// <summary>Groups added to the open transaction, each with the offsets committed in it (later entries for a partition win).</summary>
    public Dictionary<string, List<OffsetCommit>> PendingOffsets { get; } = new(StringComparer.Ordinal);

    public long StartTimestampMs { get; set; } = -1;

    public long LastUpdateTimestampMs { get; set; }

    public TransactionDescription Describe()
    {
        var offsets = new Dictionary<string, IReadOnlyList<OffsetCommit>>(StringComparer.Ordinal);
        foreach (var (group, list) in PendingOffsets)
        {
            offsets[group] = [.. list];
        }

        return new TransactionDescription(TransactionalId, ProducerId, ProducerEpoch, State, TimeoutMs, [.. Partitions], offsets, StartTimestampMs, LastUpdateTimestampMs);
    }
}
