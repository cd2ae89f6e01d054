using Freshet.Log.Groups;

namespace Freshet.Log.Transactions;

/// <summary>A snapshot of one transactional id's state, as the coordinator holds it.</summary>
/// <param name="TransactionalId">The transactional id.</param>
/// <param name="ProducerId">The producer id bound to it.</param>
/// <param name="ProducerEpoch">The current epoch.</param>
/// <param name="State">Where its current (or last) transaction stands.</param>
/// <param name="TimeoutMs">How long a transaction may stay open before the coordinator aborts it, in milliseconds.</param>
/// <param name="Partitions">The partitions of the current (or last) transaction.</param>
/// <param name="PendingOffsets">Group offsets committed in the open transaction, by group; visible to fetches only after the commit.</param>
/// <param name="StartTimestampMs">When the current transaction began (milliseconds since the Unix epoch), or -1.</param>
/// <param name="LastUpdateTimestampMs">When the state last changed, milliseconds since the Unix epoch.</param>
public sealed record TransactionDescription(
    string TransactionalId,
    long ProducerId,
    short ProducerEpoch,
    TransactionState State,
    int TimeoutMs,
    IReadOnlyList<TransactionPartition> Partitions,
    IReadOnlyDictionary<string, IReadOnlyList<OffsetCommit>> PendingOffsets,
    long StartTimestampMs,
    long LastUpdateTimestampMs);
