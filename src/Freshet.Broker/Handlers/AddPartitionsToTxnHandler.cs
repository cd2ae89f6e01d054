using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Transactions;

namespace Freshet.Broker.Handlers;

/// <summary>
/// AddPartitionsToTxn 0-3: adds partitions to the producer's transaction through the log's
/// <see cref="TransactionCoordinator.AddPartitions"/>, all or nothing. A partition that does not exist
/// gets UNKNOWN_TOPIC_OR_PARTITION (3) and the others OPERATION_NOT_ATTEMPTED (55), as in Kafka; a
/// failure of the whole call (INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED, INVALID_TXN_STATE, ...)
/// is every partition's error.
/// With authorization on, as in Kafka: every partition gets TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53) without WRITE on the
/// transactional id; partitions of topics the principal may not WRITE get TOPIC_AUTHORIZATION_FAILED (29) and the others
/// OPERATION_NOT_ATTEMPTED (55).
/// </summary>
internal sealed class AddPartitionsToTxnHandler : ApiHandler<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>
{
    private const short FirstVersionWithProducerFenced = 2;

    private readonly BrokerServices _services;

    public AddPartitionsToTxnHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<AddPartitionsToTxnResponse?> HandleAsync(RequestContext context, AddPartitionsToTxnRequest request)
    {
        var partitions = new List<TransactionPartition>();
        var missing = new HashSet<TransactionPartition>();
        var authorizer = _services.Authorizer;
        var unauthorizedTopics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var topic in request.Topics)
        {
            if (!authorizer.AllowsTopic(context, AclOperation.Write, topic.Name))
            {
                unauthorizedTopics.Add(topic.Name);
            }

            foreach (var index in topic.Partitions)
            {
                var partition = new TransactionPartition(topic.Name, index);
                partitions.Add(partition);
                if (!_services.Store.TryGetPartition(topic.Name, index, out _))
                {
                    missing.Add(partition);
                }
            }
        }

        var transactionalIdAllowed = authorizer.AllowsTransactionalId(context, AclOperation.Write, request.TransactionalId);
        var commonError = !transactionalIdAllowed ? KafkaErrorCode.TransactionalIdAuthorizationFailed
            : missing.Count > 0 || unauthorizedTopics.Count > 0 ? KafkaErrorCode.OperationNotAttempted
            : KafkaErrorCode.None;
        if (commonError == KafkaErrorCode.None)
        {
            try
            {
                _services.Store.Transactions.AddPartitions(request.TransactionalId, request.ProducerId, request.ProducerEpoch, partitions);
            }
            catch (Exception e) when (ErrorMapping.IsPartitionFailure(e))
            {
                commonError = TransactionErrors.ToErrorCode(e, context, FirstVersionWithProducerFenced, _services.TransactionsLogger);
            }
        }

        var results = new AddPartitionsToTxnTopicResult[request.Topics.Count];
        for (var t = 0; t < results.Length; t++)
        {
            var topic = request.Topics[t];
            var partitionResults = new AddPartitionsToTxnPartitionResult[topic.Partitions.Count];
            for (var p = 0; p < partitionResults.Length; p++)
            {
                var index = topic.Partitions[p];
                partitionResults[p] = new AddPartitionsToTxnPartitionResult
                {
                    PartitionIndex = index,
                    PartitionErrorCode = !transactionalIdAllowed ? commonError
                        : unauthorizedTopics.Contains(topic.Name) ? KafkaErrorCode.TopicAuthorizationFailed
                        : missing.Contains(new TransactionPartition(topic.Name, index)) ? KafkaErrorCode.UnknownTopicOrPartition
                        : commonError,
                };
            }

            results[t] = new AddPartitionsToTxnTopicResult { Name = topic.Name, Results = partitionResults };
        }

        return new(new AddPartitionsToTxnResponse { Results = results });
    }
}
