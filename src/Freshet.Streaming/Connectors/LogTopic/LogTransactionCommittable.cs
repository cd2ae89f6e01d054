namespace Freshet.Streaming.Connectors.LogTopic;

/// <summary>
/// A pre-committed transaction of the exactly-once log sink: what a checkpoint records so that the transaction can be
/// committed when the checkpoint completes — or, after a crash, when the job restores that checkpoint.
/// </summary>
/// <param name="TransactionalId">The transactional id the transaction ran under.</param>
/// <param name="ProducerId">The producer id bound to it.</param>
/// <param name="ProducerEpoch">The epoch the transaction ran at.</param>
/// <param name="CheckpointId">The checkpoint whose barrier closed the transaction.</param>
public readonly record struct LogTransactionCommittable(string TransactionalId, long ProducerId, short ProducerEpoch, long CheckpointId);
