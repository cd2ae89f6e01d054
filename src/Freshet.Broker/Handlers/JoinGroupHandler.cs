using Freshet.Broker.Security.Authorization;
using Freshet.Broker.Groups;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// JoinGroup 0-5: admits the member to its group and answers when the rebalance completes (the
/// leader gets every member's metadata). From v4 a dynamic member without an id first gets one with
/// MEMBER_ID_REQUIRED (79), as KIP-394 specifies; a static member (v5 instance id, KIP-345) rejoining
/// a Stable group is answered at once, without a rebalance. If the broker stops while the member
/// waits, it gets COORDINATOR_NOT_AVAILABLE (15) and looks for the coordinator again.
/// With authorization on, a principal that may not READ the group gets GROUP_AUTHORIZATION_FAILED (30).
/// </summary>
internal sealed class JoinGroupHandler : ApiHandler<JoinGroupRequest, JoinGroupResponse>
{
    private readonly BrokerServices _services;

    public JoinGroupHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override async ValueTask<JoinGroupResponse?> HandleAsync(RequestContext context, JoinGroupRequest request)
    {
        if (!_services.Authorizer.AllowsGroup(context, AclOperation.Read, request.GroupId))
        {
            return new JoinGroupResponse { ErrorCode = KafkaErrorCode.GroupAuthorizationFailed, GenerationId = -1, MemberId = request.MemberId, Members = [] };
        }

        var protocols = new MemberProtocol[request.Protocols.Count];
        for (var i = 0; i < protocols.Length; i++)
        {
            protocols[i] = new MemberProtocol(request.Protocols[i].Name, request.Protocols[i].Metadata);
        }

        var data = new JoinGroupRequestData(
            request.GroupId,
            request.MemberId,
            request.GroupInstanceId,
            context.Header.ClientId ?? "",
            context.ClientHost,
            request.SessionTimeoutMs,
            request.RebalanceTimeoutMs,
            request.ProtocolType,
            protocols,
            RequireKnownMemberId: context.ApiVersion >= 4);

        JoinGroupResult result;
        if (_services.ConsumerGroups.HasMembers(request.GroupId))
        {
            // The group id belongs to a consumer protocol group (KIP-848) with members; classic members cannot join it.
            result = JoinGroupResult.Error(GroupErrorCode.InconsistentGroupProtocol, request.MemberId);
        }
        else
        {
        try
        {
            result = await _services.Groups.JoinGroupAsync(data).WaitAsync(context.BrokerStopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            result = JoinGroupResult.Error(GroupErrorCode.CoordinatorNotAvailable, request.MemberId);
        }
        }

        var members = new JoinGroupResponseMember[result.Members.Count];
        for (var i = 0; i < members.Length; i++)
        {
            var member = result.Members[i];
            members[i] = new JoinGroupResponseMember { MemberId = member.MemberId, GroupInstanceId = member.GroupInstanceId, Metadata = member.Metadata };
        }

        return new JoinGroupResponse
        {
            ErrorCode = result.ErrorCode,
            GenerationId = result.GenerationId,
            ProtocolName = result.ProtocolName,
            Leader = result.LeaderId,
            MemberId = result.MemberId,
            Members = members,
        };
    }
}
