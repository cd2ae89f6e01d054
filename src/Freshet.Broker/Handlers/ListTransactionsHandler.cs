using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// ListTransactions 0-1 (KIP-664, KIP-994): the transactional ids this node coordinates, with producer id
/// and state, filtered as Kafka filters them: by state names (any of them; names Kafka does not know are
/// returned in <c>UnknownStateFilters</c> and match nothing), by producer ids (any of them), and in v1 by
/// duration (only transactions whose start is more than that many milliseconds ago, on the store's clock;
/// -1 for all). Empty filters select everything.
/// With authorization on, as in Kafka, only transactional ids the principal may DESCRIBE are listed.
/// </summary>
internal sealed class ListTransactionsHandler : ApiHandler<ListTransactionsRequest, ListTransactionsResponse>
{
    private readonly BrokerServices _services;

    public ListTransactionsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<ListTransactionsResponse?> HandleAsync(RequestContext context, ListTransactionsRequest request)
    {
        var unknownStates = new List<string>();
        var states = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in request.StateFilters)
        {
            if (TransactionStateNames.IsKnown(name))
            {
                states.Add(name);
            }
            else
            {
                unknownStates.Add(name);
            }
        }

        var producerIds = new HashSet<long>(request.ProducerIdFilters);
        var nowMs = _services.Store.Options.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var listed = new List<ListedTransactionState>();
        var coordinator = _services.Store.Transactions;
        foreach (var transactionalId in coordinator.ListTransactionalIds())
        {
            if (!_services.Authorizer.AllowsTransactionalId(context, AclOperation.Describe, transactionalId) || !coordinator.TryDescribe(transactionalId, out var description))
            {
                continue;
            }

            var stateName = TransactionStateNames.Of(description.State);
            if ((request.StateFilters.Count > 0 && !states.Contains(stateName))
                || (producerIds.Count > 0 && !producerIds.Contains(description.ProducerId))
                || (request.DurationFilter >= 0 && nowMs - description.StartTimestampMs <= request.DurationFilter))
            {
                continue;
            }

            listed.Add(new ListedTransactionState { TransactionalId = transactionalId, ProducerId = description.ProducerId, TransactionState = stateName });
        }

        return new(new ListTransactionsResponse { UnknownStateFilters = unknownStates, TransactionStates = listed });
    }
}
