using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DescribeGroups 0-5: state, protocol type, chosen protocol and members (with metadata and
/// assignment once Stable) of each group. A group with only committed offsets is "Empty"; one this
/// node knows nothing about is "Dead", with no error, as in Kafka. A consumer protocol group (KIP-848)
/// is described with protocol type "consumer", its assignor as protocol and its members without
/// metadata or assignment (ConsumerGroupDescribe carries those in Kafka).
/// With authorization on, a group the principal may not DESCRIBE gets GROUP_AUTHORIZATION_FAILED (30); v3+ report the
/// operations it may perform on each group when asked.
/// </summary>
internal sealed class DescribeGroupsHandler : ApiHandler<DescribeGroupsRequest, DescribeGroupsResponse>
{
    private readonly BrokerServices _services;

    public DescribeGroupsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<DescribeGroupsResponse?> HandleAsync(RequestContext context, DescribeGroupsRequest request)
    {
        var groups = new DescribedGroup[request.Groups.Count];
        for (var i = 0; i < groups.Length; i++)
        {
            var id = request.Groups[i];
            if (!_services.Authorizer.AllowsGroup(context, AclOperation.Describe, id))
            {
                groups[i] = new DescribedGroup { GroupId = id, ErrorCode = KafkaErrorCode.GroupAuthorizationFailed, GroupState = "", ProtocolType = "", ProtocolData = "", Members = [] };
                continue;
            }

            var description = _services.ConsumerGroups.TryDescribe(id, out var consumerProtocolGroup) && (consumerProtocolGroup.Members.Count > 0 || _services.Groups.Describe(id, false).State == "Dead")
                ? consumerProtocolGroup
                : _services.Groups.Describe(id, hasCommittedOffsets: _services.Store.GroupOffsets.FetchAll(id).Count > 0);
            groups[i] = new DescribedGroup
            {
                GroupId = id,
                GroupState = description.State,
                ProtocolType = description.ProtocolType,
                ProtocolData = description.Protocol,
                Members = description.Members.Select(m => new DescribedGroupMember
                {
                    MemberId = m.MemberId,
                    GroupInstanceId = m.GroupInstanceId,
                    ClientId = m.ClientId,
                    ClientHost = m.ClientHost,
                    MemberMetadata = m.Metadata,
                    MemberAssignment = m.Assignment,
                }).ToArray(),
                AuthorizedOperations = request.IncludeAuthorizedOperations ? _services.Authorizer.OperationsOn(context, AclResourceType.Group, id) : int.MinValue,
            };
        }

        return new(new DescribeGroupsResponse { Groups = groups });
    }
}
