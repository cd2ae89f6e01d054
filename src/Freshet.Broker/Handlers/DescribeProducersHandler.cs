using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Transactions;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DescribeProducers 0 (KIP-664): per partition, the idempotent and transactional producers the log keeps
/// state for (the same state that detects duplicates and orders transactions): producer id, epoch, last
/// sequence, last batch timestamp, coordinator epoch and the first offset of the open transaction (-1 when
/// none). A partition that does not exist gets UNKNOWN_TOPIC_OR_PARTITION (3). The coordinator epoch is
/// that of the markers Freshet's single transaction coordinator writes (0) for transactional producer ids
/// and -1 for idempotent ones.
/// With authorization on, as in Kafka, partitions of a topic the principal may not READ get TOPIC_AUTHORIZATION_FAILED (29).
/// </summary>
internal sealed class DescribeProducersHandler : ApiHandler<DescribeProducersRequest, DescribeProducersResponse>
{
    private const int TransactionCoordinatorEpoch = 0;

    private readonly BrokerServices _services;

    public DescribeProducersHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<DescribeProducersResponse?> HandleAsync(RequestContext context, DescribeProducersRequest request)
    {
        var topics = new DescribeProducersTopicResponse[request.Topics.Count];
        for (var t = 0; t < topics.Length; t++)
        {
            var topic = request.Topics[t];
            var allowed = _services.Authorizer.AllowsTopic(context, AclOperation.Read, topic.Name);
            var partitions = new DescribeProducersPartitionResponse[topic.PartitionIndexes.Count];
            for (var p = 0; p < partitions.Length; p++)
            {
                partitions[p] = allowed
                    ? Describe(topic.Name, topic.PartitionIndexes[p])
                    : new DescribeProducersPartitionResponse { PartitionIndex = topic.PartitionIndexes[p], ErrorCode = KafkaErrorCode.TopicAuthorizationFailed, ErrorMessage = $"Describing the producers of topic '{topic.Name}' needs READ on it." };
            }

            topics[t] = new DescribeProducersTopicResponse { Name = topic.Name, Partitions = partitions };
        }

        return new(new DescribeProducersResponse { Topics = topics });
    }

    private DescribeProducersPartitionResponse Describe(string topic, int partitionIndex)
    {
        if (!_services.Store.TryGetPartition(topic, partitionIndex, out var partition))
        {
            return new DescribeProducersPartitionResponse
            {
                PartitionIndex = partitionIndex,
                ErrorCode = KafkaErrorCode.UnknownTopicOrPartition,
                ErrorMessage = $"This server does not host {topic}-{partitionIndex}.",
            };
        }

        var producers = partition.ActiveProducers();
        var states = new ProducerState[producers.Count];
        for (var i = 0; i < states.Length; i++)
        {
            var producer = producers[i];
            states[i] = new ProducerState
            {
                ProducerId = producer.ProducerId,
                ProducerEpoch = producer.Epoch,
                LastSequence = producer.LastSequence,
                LastTimestamp = producer.LastTimestampMs,
                CoordinatorEpoch = producer.ProducerId >= TransactionCoordinator.FirstProducerId ? TransactionCoordinatorEpoch : -1,
                CurrentTxnStartOffset = producer.TransactionFirstOffset,
            };
        }

        return new DescribeProducersPartitionResponse { PartitionIndex = partitionIndex, ActiveProducers = states };
    }
}
