using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Transactions;

namespace Freshet.Broker.Handlers;

/// <summary>
/// AddPartitionsToTxn 0-3: adds partitions to the producer's transaction through the log's
/// <see cref="TransactionCoordinator.AddPartitions"/>, all or nothing. A partition that does not exist
/// gets UNKNOWN_TOPIC_OR_PARTITION (3) and the others OPERATION_NOT_ATTEMPTED (55), as in Kafka; a
/// failure of the whole call (INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED, INVALID_TXN_STATE, ...)
/// is every partition's error.
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
        foreach (var topic in request.Topics)
        {
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

        var commonError = missing.Count > 0 ? KafkaErrorCode.OperationNotAttempted : KafkaErrorCode.None;
        if (missing.Count == 0)
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
                    PartitionErrorCode = missing.Contains(new TransactionPartition(topic.Name, index)) ? KafkaErrorCode.UnknownTopicOrPartition : commonError,
                };
            }

            results[t] = new AddPartitionsToTxnTopicResult { Name = topic.Name, Results = partitionResults };
        }

        return new(new AddPartitionsToTxnResponse { Results = results });
    }
}
