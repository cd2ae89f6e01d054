using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// FindCoordinator 0-2: this node coordinates every consumer group. A transaction coordinator look-up
/// (key type 1) gets INVALID_REQUEST (42) until transactions exist (the same code as a transactional
/// InitProducerId or Produce); an unknown key type gets INVALID_REQUEST too, as in Kafka.
/// </summary>
internal sealed class FindCoordinatorHandler : ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse>
{
    private readonly BrokerServices _services;

    public FindCoordinatorHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<FindCoordinatorResponse?> HandleAsync(RequestContext context, FindCoordinatorRequest request)
    {
        if (request.KeyType != FindCoordinatorRequest.GroupKeyType)
        {
            return new(new FindCoordinatorResponse
            {
                ErrorCode = KafkaErrorCode.InvalidRequest,
                ErrorMessage = request.KeyType == FindCoordinatorRequest.TransactionKeyType
                    ? "Transactions are not supported by this broker yet."
                    : $"Unknown coordinator key type {request.KeyType}.",
                NodeId = -1,
                Host = "",
                Port = -1,
            });
        }

        return new(new FindCoordinatorResponse { NodeId = _services.NodeId, Host = _services.Host, Port = _services.Port });
    }
}
