namespace Freshet.Broker.Inspection;

/// <summary>
/// A transaction in flight as <see cref="KafkaBroker.DescribeTransactions"/> saw it (one snapshot of the transaction
/// coordinator). Immutable; thread-safe.
/// </summary>
/// <param name="TransactionalId">The producer's transactional id.</param>
/// <param name="ProducerId">The producer id bound to it.</param>
/// <param name="ProducerEpoch">The producer's current epoch.</param>
/// <param name="State">Kafka's name of the state: <c>Ongoing</c> (open), <c>PrepareCommit</c> or <c>PrepareAbort</c>
/// (decided, markers being written).</param>
/// <param name="StartedAt">When the transaction began (its first partition or group was added), on the store's clock;
/// null if the coordinator holds no start time.</param>
/// <param name="Partitions">The partitions written in the transaction, by topic (ordinal) then partition ascending.</param>
public sealed record TransactionOverview(string TransactionalId, long ProducerId, short ProducerEpoch, string State, DateTimeOffset? StartedAt, IReadOnlyList<TopicPartitionReference> Partitions);
