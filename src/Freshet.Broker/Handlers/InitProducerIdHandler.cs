using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// InitProducerId 0-4 for idempotent producers: a new producer id from the durable
/// <see cref="Cluster.ProducerIdAllocator"/> (never reused, even after a restart) with epoch 0, every
/// time, including when a v3+ client passes its current id and epoch to bump after an error (a fresh id
/// is as good as a bumped epoch for a producer without a transactional id). A non-null transactional
/// id gets INVALID_REQUEST (42) until transactions exist.
/// </summary>
internal sealed class InitProducerIdHandler : ApiHandler<InitProducerIdRequest, InitProducerIdResponse>
{
    private readonly BrokerServices _services;

    public InitProducerIdHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<InitProducerIdResponse?> HandleAsync(RequestContext context, InitProducerIdRequest request)
    {
        if (request.TransactionalId is not null)
        {
            return new(new InitProducerIdResponse { ErrorCode = KafkaErrorCode.InvalidRequest, ProducerId = -1, ProducerEpoch = -1 });
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
