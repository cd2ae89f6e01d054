using Freshet.Broker.Security.Authorization;
using Freshet.Broker.Logging;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// InitProducerId 0-4. Idempotent producers (null transactional id): a new producer id from the durable
/// <see cref="Cluster.ProducerIdAllocator"/> (never reused, even after a restart) with epoch 0, every
/// time, including when a v3+ client passes its current id and epoch to bump after an error (a fresh id
/// is as good as a bumped epoch for a producer without a transactional id). Transactional producers:
/// the log's <see cref="Freshet.Log.Transactions.TransactionCoordinator.InitProducerId"/> binds the id
/// to a producer id and a new epoch, fencing older instances and aborting their open transaction.
/// With authorization on, as in Kafka 3.x: a transactional id needs WRITE on it (TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 53);
/// an idempotent producer without one needs IDEMPOTENT_WRITE on the cluster or WRITE on some topic
/// (CLUSTER_AUTHORIZATION_FAILED, 31).
/// </summary>
internal sealed class InitProducerIdHandler : ApiHandler<InitProducerIdRequest, InitProducerIdResponse>
{
    private readonly BrokerServices _services;

    public InitProducerIdHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<InitProducerIdResponse?> HandleAsync(RequestContext context, InitProducerIdRequest request)
    {
        var authorizer = _services.Authorizer;
        if (request.TransactionalId is not null)
        {
            if (!authorizer.AllowsTransactionalId(context, AclOperation.Write, request.TransactionalId))
            {
                return new(new InitProducerIdResponse { ErrorCode = KafkaErrorCode.TransactionalIdAuthorizationFailed, ProducerId = -1, ProducerEpoch = -1 });
            }

            try
            {
                var producer = _services.Store.Transactions.InitProducerId(request.TransactionalId, request.TransactionTimeoutMs, request.ProducerId, request.ProducerEpoch);
                if (producer.ProducerEpoch > 0)
                {
                    _services.TransactionsLogger.ProducerEpochBumped(request.TransactionalId, producer.ProducerId, producer.ProducerEpoch);
                }
                return new(new InitProducerIdResponse { ProducerId = producer.ProducerId, ProducerEpoch = producer.ProducerEpoch });
            }
            catch (Exception e) when (ErrorMapping.IsPartitionFailure(e))
            {
                return new(new InitProducerIdResponse { ErrorCode = TransactionErrors.ToErrorCode(e, context, firstVersionWithProducerFenced: 3, _services.TransactionsLogger), ProducerId = -1, ProducerEpoch = -1 });
            }
        }

        if (!authorizer.AllowsCluster(context, AclOperation.IdempotentWrite) && !authorizer.AllowsAnyOfType(context, AclOperation.Write, AclResourceType.Topic))
        {
            return new(new InitProducerIdResponse { ErrorCode = KafkaErrorCode.ClusterAuthorizationFailed, ProducerId = -1, ProducerEpoch = -1 });
        }

        try
        {
            return new(new InitProducerIdResponse { ProducerId = _services.ProducerIds.Next(), ProducerEpoch = 0 });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(new InitProducerIdResponse { ErrorCode = KafkaErrorCode.KafkaStorageError, ProducerId = -1, ProducerEpoch = -1 });
        }
    }
}
