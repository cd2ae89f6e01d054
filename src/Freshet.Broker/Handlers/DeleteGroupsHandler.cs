using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DeleteGroups 0-2: deletes each empty consumer group with its committed offsets (durably: tombstones in
/// the offsets log). Per group: NON_EMPTY_GROUP (68) while it has members, GROUP_ID_NOT_FOUND (69) when
/// nothing is known about it, INVALID_GROUP_ID (24) for an empty id, COORDINATOR_NOT_AVAILABLE (15) when
/// the log refused the deletion.
/// With authorization on, a group the principal may not DELETE gets GROUP_AUTHORIZATION_FAILED (30).
/// </summary>
internal sealed class DeleteGroupsHandler : ApiHandler<DeleteGroupsRequest, DeleteGroupsResponse>
{
    private readonly BrokerServices _services;

    public DeleteGroupsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<DeleteGroupsResponse?> HandleAsync(RequestContext context, DeleteGroupsRequest request)
    {
        var allowed = request.GroupsNames.Where(g => _services.Authorizer.AllowsGroup(context, AclOperation.Delete, g)).ToArray();
        var codes = _services.Groups.DeleteGroups(allowed);
        var results = new DeletableGroupResult[request.GroupsNames.Count];
        for (int i = 0, next = 0; i < results.Length; i++)
        {
            var group = request.GroupsNames[i];
            var code = next < allowed.Length && ReferenceEquals(allowed[next], group) ? codes[next++] : KafkaErrorCode.GroupAuthorizationFailed;
            results[i] = new DeletableGroupResult { GroupId = group, ErrorCode = code };
        }

        return new(new DeleteGroupsResponse { Results = results });
    }
}
