using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// LeaveGroup 0-3: removes the member (v0-2) or the listed members (v3, with a code per member: a
/// static member by instance id alone, or by member id; FENCED_INSTANCE_ID when the instance id now
/// belongs to another member id) and starts a rebalance for the rest.
/// With authorization on, a principal that may not READ the group gets GROUP_AUTHORIZATION_FAILED (30).
/// </summary>
internal sealed class LeaveGroupHandler : ApiHandler<LeaveGroupRequest, LeaveGroupResponse>
{
    private readonly BrokerServices _services;

    public LeaveGroupHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<LeaveGroupResponse?> HandleAsync(RequestContext context, LeaveGroupRequest request)
    {
        if (!_services.Authorizer.AllowsGroup(context, AclOperation.Read, request.GroupId))
        {
            return new(new LeaveGroupResponse { ErrorCode = KafkaErrorCode.GroupAuthorizationFailed });
        }

        if (context.ApiVersion < 3)
        {
            var code = _services.Groups.LeaveGroup(request.GroupId, [(request.MemberId, null)])[0];
            return new(new LeaveGroupResponse { ErrorCode = code });
        }

        var leaving = new (string MemberId, string? GroupInstanceId)[request.Members.Count];
        for (var i = 0; i < leaving.Length; i++)
        {
            leaving[i] = (request.Members[i].MemberId, request.Members[i].GroupInstanceId);
        }

        var codes = _services.Groups.LeaveGroup(request.GroupId, leaving);
        var members = new LeaveGroupResponseMember[leaving.Length];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = new LeaveGroupResponseMember { MemberId = leaving[i].MemberId, GroupInstanceId = leaving[i].GroupInstanceId, ErrorCode = codes[i] };
        }

        return new(new LeaveGroupResponse { Members = members });
    }
}
