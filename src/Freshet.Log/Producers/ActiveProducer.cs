namespace Freshet.Log.Producers;

/// <summary>A copy of what a partition remembers of one idempotent or transactional producer, taken under its append lock.</summary>
/// <param name="ProducerId">The producer id.</param>
/// <param name="Epoch">The producer's current epoch on this partition.</param>
/// <param name="LastSequence">The sequence of its last stored record under that epoch, or -1.</param>
/// <param name="LastTimestampMs">The largest timestamp of its stored batches, milliseconds since the Unix epoch (0 when it has written only markers).</param>
/// <param name="TransactionFirstOffset">The first offset of its open transaction here, or -1 when none is open.</param>
internal readonly record struct ActiveProducer(long ProducerId, short Epoch, int LastSequence, long LastTimestampMs, long TransactionFirstOffset);
