using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Transactions;

namespace Freshet.Broker.Handlers;

/// <summary>
/// AddOffsetsToTxn 0-3: adds a consumer group to the producer's transaction through the log's
/// <see cref="TransactionCoordinator.AddOffsets"/>, so that TxnOffsetCommit may commit its offsets in it.
/// With authorization on: TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53) without WRITE on the transactional id,
/// GROUP_AUTHORIZATION_FAILED (30) without READ on the group.
/// </summary>
internal sealed class AddOffsetsToTxnHandler : ApiHandler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>
{
    private const short FirstVersionWithProducerFenced = 2;

    private readonly BrokerServices _services;

    public AddOffsetsToTxnHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<AddOffsetsToTxnResponse?> HandleAsync(RequestContext context, AddOffsetsToTxnRequest request)
    {
        if (!_services.Authorizer.AllowsTransactionalId(context, AclOperation.Write, request.TransactionalId))
        {
            return new(new AddOffsetsToTxnResponse { ErrorCode = KafkaErrorCode.TransactionalIdAuthorizationFailed });
        }

        if (!_services.Authorizer.AllowsGroup(context, AclOperation.Read, request.GroupId))
        {
            return new(new AddOffsetsToTxnResponse { ErrorCode = KafkaErrorCode.GroupAuthorizationFailed });
        }

        try
        {
            _services.Store.Transactions.AddOffsets(request.TransactionalId, request.ProducerId, request.ProducerEpoch, request.GroupId);
            return new(new AddOffsetsToTxnResponse());
        }
        catch (Exception e) when (ErrorMapping.IsPartitionFailure(e))
        {
            return new(new AddOffsetsToTxnResponse { ErrorCode = TransactionErrors.ToErrorCode(e, context, FirstVersionWithProducerFenced, _services.TransactionsLogger) });
        }
    }
}
