using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// FindCoordinator 0-2: this node coordinates every consumer group (key type 0) and every transactional
/// id (key type 1); an unknown key type gets INVALID_REQUEST (42), as in Kafka.
/// With authorization on, as in Kafka: a group key needs DESCRIBE on the group (GROUP_AUTHORIZATION_FAILED, 30), a
/// transactional id DESCRIBE on it (TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 53).
/// </summary>
internal sealed class FindCoordinatorHandler : ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse>
{
    private readonly BrokerServices _services;

    public FindCoordinatorHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<FindCoordinatorResponse?> HandleAsync(RequestContext context, FindCoordinatorRequest request)
    {
        if (request.KeyType is not (FindCoordinatorRequest.GroupKeyType or FindCoordinatorRequest.TransactionKeyType))
        {
            return new(new FindCoordinatorResponse
            {
                ErrorCode = KafkaErrorCode.InvalidRequest,
                ErrorMessage = $"Unknown coordinator key type {request.KeyType}.",
                NodeId = -1,
                Host = "",
                Port = -1,
            });
        }

        var allowed = request.KeyType == FindCoordinatorRequest.GroupKeyType
            ? _services.Authorizer.AllowsGroup(context, AclOperation.Describe, request.Key)
            : _services.Authorizer.AllowsTransactionalId(context, AclOperation.Describe, request.Key);
        if (!allowed)
        {
            return new(new FindCoordinatorResponse
            {
                ErrorCode = request.KeyType == FindCoordinatorRequest.GroupKeyType ? KafkaErrorCode.GroupAuthorizationFailed : KafkaErrorCode.TransactionalIdAuthorizationFailed,
                ErrorMessage = $"Finding the coordinator of '{request.Key}' needs DESCRIBE on it.",
                NodeId = -1,
                Host = "",
                Port = -1,
            });
        }

        var (host, port) = _services.AdvertisedAddress(context);
        return new(new FindCoordinatorResponse { NodeId = _services.NodeId, Host = host, Port = port });
    }
}
