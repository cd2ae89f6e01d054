namespace Freshet.Log.Transactions;

/// <summary>The identity a transactional producer writes with: its producer id and current epoch.</summary>
/// <param name="ProducerId">The producer id bound to the transactional id.</param>
/// <param name="ProducerEpoch">The current epoch; batches and requests with an older one are fenced.</param>
public readonly record struct ProducerIdAndEpoch(long ProducerId, short ProducerEpoch);
