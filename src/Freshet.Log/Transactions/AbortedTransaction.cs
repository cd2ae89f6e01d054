namespace Freshet.Log.Transactions;

/// <summary>
/// One aborted transaction of one producer on one partition, as kept in the partition's aborted
/// transaction index (Kafka's <c>.txnindex</c> entry). A read_committed reader drops that producer's
/// transactional batches between <see cref="FirstOffset"/> and <see cref="LastOffset"/>.
/// </summary>
/// <param name="ProducerId">The transactional producer whose records were aborted.</param>
/// <param name="FirstOffset">Offset of the producer's first data batch in the transaction.</param>
/// <param name="LastOffset">Offset of the ABORT marker that ended the transaction.</param>
/// <param name="LastStableOffset">The partition's <c>LastStableOffset</c> just after the marker was written.</param>
public readonly record struct AbortedTransaction(long ProducerId, long FirstOffset, long LastOffset, long LastStableOffset);
