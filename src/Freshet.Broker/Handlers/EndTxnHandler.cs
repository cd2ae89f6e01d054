using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Transactions;

namespace Freshet.Broker.Handlers;

/// <summary>
/// EndTxn 0-3: commits or aborts the producer's transaction through the log's
/// <see cref="TransactionCoordinator.EndTransaction"/>, which writes the markers to every partition in
/// it (fsynced) before answering; read_committed fetches waiting on those partitions are woken.
/// With authorization on: TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53) without WRITE on the transactional id.
/// </summary>
internal sealed class EndTxnHandler : ApiHandler<EndTxnRequest, EndTxnResponse>
{
    private const short FirstVersionWithProducerFenced = 2;

    private readonly BrokerServices _services;

    public EndTxnHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<EndTxnResponse?> HandleAsync(RequestContext context, EndTxnRequest request)
    {
        if (!_services.Authorizer.AllowsTransactionalId(context, AclOperation.Write, request.TransactionalId))
        {
            return new(new EndTxnResponse { ErrorCode = KafkaErrorCode.TransactionalIdAuthorizationFailed });
        }

        try
        {
            _services.Store.Transactions.EndTransaction(request.TransactionalId, request.ProducerId, request.ProducerEpoch, request.Committed);
            _services.Appended.Notify();
            return new(new EndTxnResponse());
        }
        catch (Exception e) when (ErrorMapping.IsPartitionFailure(e))
        {
            return new(new EndTxnResponse { ErrorCode = TransactionErrors.ToErrorCode(e, context, FirstVersionWithProducerFenced, _services.TransactionsLogger) });
        }
    }
}
