using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DeleteGroups 0-2: deletes each empty consumer group with its committed offsets (durably: tombstones in
/// the offsets log). Per group: NON_EMPTY_GROUP (68) while it has members, GROUP_ID_NOT_FOUND (69) when
/// nothing is known about it, INVALID_GROUP_ID (24) for an empty id, COORDINATOR_NOT_AVAILABLE (15) when
/// the log refused the deletion.
/// </summary>
internal sealed class DeleteGroupsHandler : ApiHandler<DeleteGroupsRequest, DeleteGroupsResponse>
{
    private readonly BrokerServices _services;

    public DeleteGroupsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<DeleteGroupsResponse?> HandleAsync(RequestContext context, DeleteGroupsRequest request)
    {
        var codes = _services.Groups.DeleteGroups(request.GroupsNames);
        var results = new DeletableGroupResult[codes.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = new DeletableGroupResult { GroupId = request.GroupsNames[i], ErrorCode = codes[i] };
        }

        return new(new DeleteGroupsResponse { Results = results });
    }
}
