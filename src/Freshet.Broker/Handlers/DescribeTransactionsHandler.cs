using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Transactions;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DescribeTransactions 0 (KIP-664): per transactional id, the coordinator's state under Kafka's name
/// (<see cref="TransactionStateNames"/>), the transaction timeout, when the current transaction started
/// (-1 when none has), the producer id and epoch, and the partitions of the transaction while it is open
/// or being completed (Ongoing, PrepareCommit, PrepareAbort; Kafka empties them once it completes). An
/// unknown id gets TRANSACTIONAL_ID_NOT_FOUND (105).
/// With authorization on, a transactional id the principal may not DESCRIBE gets TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53).
/// </summary>
internal sealed class DescribeTransactionsHandler : ApiHandler<DescribeTransactionsRequest, DescribeTransactionsResponse>
{
    private readonly BrokerServices _services;

    public DescribeTransactionsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<DescribeTransactionsResponse?> HandleAsync(RequestContext context, DescribeTransactionsRequest request)
    {
        var states = new DescribedTransactionState[request.TransactionalIds.Count];
        for (var i = 0; i < states.Length; i++)
        {
            var transactionalId = request.TransactionalIds[i];
            states[i] = _services.Authorizer.AllowsTransactionalId(context, AclOperation.Describe, transactionalId)
                ? Describe(transactionalId)
                : new DescribedTransactionState
                {
                    ErrorCode = KafkaErrorCode.TransactionalIdAuthorizationFailed,
                    TransactionalId = transactionalId,
                    TransactionState = "",
                    TransactionStartTimeMs = -1,
                    ProducerId = -1,
                    ProducerEpoch = -1,
                };
        }

        return new(new DescribeTransactionsResponse { TransactionStates = states });
    }

    private DescribedTransactionState Describe(string transactionalId)
    {
        if (!_services.Store.Transactions.TryDescribe(transactionalId, out var description))
        {
            return new DescribedTransactionState
            {
                ErrorCode = KafkaErrorCode.TransactionalIdNotFound,
                TransactionalId = transactionalId,
                TransactionState = "",
                TransactionStartTimeMs = -1,
                ProducerId = -1,
                ProducerEpoch = -1,
            };
        }

        var inFlight = description.State is TransactionState.Ongoing or TransactionState.PrepareCommit or TransactionState.PrepareAbort;
        return new DescribedTransactionState
        {
            TransactionalId = transactionalId,
            TransactionState = TransactionStateNames.Of(description.State),
            TransactionTimeoutMs = description.TimeoutMs,
            TransactionStartTimeMs = description.StartTimestampMs,
            ProducerId = description.ProducerId,
            ProducerEpoch = description.ProducerEpoch,
            Topics = inFlight ? GroupByTopic(description.Partitions) : [],
        };
    }

    private static DescribedTransactionTopic[] GroupByTopic(IReadOnlyList<TransactionPartition> partitions)
    {
        var byTopic = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var partition in partitions)
        {
            if (!byTopic.TryGetValue(partition.Topic, out var indexes))
            {
                indexes = [];
                byTopic.Add(partition.Topic, indexes);
            }

            indexes.Add(partition.Partition);
        }

        var topics = new DescribedTransactionTopic[byTopic.Count];
        var i = 0;
        foreach (var (topic, indexes) in byTopic)
        {
            indexes.Sort();
            topics[i++] = new DescribedTransactionTopic { Topic = topic, Partitions = indexes };
        }

        return topics;
    }
}
