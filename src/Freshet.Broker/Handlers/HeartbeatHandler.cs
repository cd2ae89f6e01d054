using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Heartbeat 0-3: keeps a member's session alive; REBALANCE_IN_PROGRESS (27) tells it to rejoin; a
/// replaced static instance (v3 carries the instance id) gets FENCED_INSTANCE_ID (82).
/// With authorization on, a principal that may not READ the group gets GROUP_AUTHORIZATION_FAILED (30).
/// </summary>
internal sealed class HeartbeatHandler : ApiHandler<HeartbeatRequest, HeartbeatResponse>
{
    private readonly BrokerServices _services;

    public HeartbeatHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<HeartbeatResponse?> HandleAsync(RequestContext context, HeartbeatRequest request) =>
        new(new HeartbeatResponse
        {
            ErrorCode = _services.Authorizer.AllowsGroup(context, AclOperation.Read, request.GroupId)
                ? _services.Groups.Heartbeat(request.GroupId, request.MemberId, request.GroupInstanceId, request.GenerationId)
                : KafkaErrorCode.GroupAuthorizationFailed,
        });
}
