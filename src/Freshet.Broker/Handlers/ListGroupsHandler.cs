using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// ListGroups 0-4: every live group, plus groups that only have committed offsets (state "Empty",
/// no protocol type), filtered by state from v4. Consumer protocol groups (KIP-848) are listed with
/// protocol type "consumer" and their state (Empty, Assigning, Reconciling or Stable).
/// </summary>
internal sealed class ListGroupsHandler : ApiHandler<ListGroupsRequest, ListGroupsResponse>
{
    private readonly BrokerServices _services;

    public ListGroupsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<ListGroupsResponse?> HandleAsync(RequestContext context, ListGroupsRequest request)
    {
        var listed = new Dictionary<string, ListedGroup>(StringComparer.Ordinal);
        foreach (var group in _services.Groups.ListGroups())
        {
            listed[group.GroupId] = new ListedGroup { GroupId = group.GroupId, ProtocolType = group.ProtocolType, GroupState = group.State };
        }

        foreach (var group in _services.ConsumerGroups.ListGroups())
        {
            if (group.Members.Count > 0 || !listed.ContainsKey(group.GroupId))
            {
                listed[group.GroupId] = new ListedGroup { GroupId = group.GroupId, ProtocolType = group.ProtocolType, GroupState = group.State };
            }
        }

        foreach (var groupId in _services.Store.GroupOffsets.ListGroups())
        {
            listed.TryAdd(groupId, new ListedGroup { GroupId = groupId, ProtocolType = "", GroupState = "Empty" });
        }

        var filter = request.StatesFilter;
        var groups = listed.Values
            .Where(g => filter.Count == 0 || filter.Contains(g.GroupState, StringComparer.OrdinalIgnoreCase))
            .OrderBy(g => g.GroupId, StringComparer.Ordinal)
            .ToArray();
        return new(new ListGroupsResponse { Groups = groups });
    }
}
