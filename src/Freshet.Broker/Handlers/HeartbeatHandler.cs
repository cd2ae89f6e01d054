using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>Heartbeat 0-3: keeps a member's session alive; REBALANCE_IN_PROGRESS (27) tells it to rejoin.</summary>
internal sealed class HeartbeatHandler : ApiHandler<HeartbeatRequest, HeartbeatResponse>
{
    private readonly BrokerServices _services;

    public HeartbeatHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<HeartbeatResponse?> HandleAsync(RequestContext context, HeartbeatRequest request) =>
        new(new HeartbeatResponse { ErrorCode = _services.Groups.Heartbeat(request.GroupId, request.MemberId, request.GenerationId) });
}
