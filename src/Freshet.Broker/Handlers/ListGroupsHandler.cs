using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// ListGroups 0-5: every live group, plus groups that only have committed offsets (state "Empty",
/// no protocol type), filtered by state from v4 and by type from v5 (both case-insensitive, as Kafka
/// compares them). Classic groups, including those with only committed offsets, have type "classic";
/// consumer protocol groups (KIP-848) have type "consumer", protocol type "consumer" and their state
/// (Empty, Assigning, Reconciling or Stable).
/// With authorization on, as in Kafka, a principal without DESCRIBE on the cluster sees only the groups it may DESCRIBE.
/// </summary>
internal sealed class ListGroupsHandler : ApiHandler<ListGroupsRequest, ListGroupsResponse>
{
    private const string ClassicType = "classic";
    private const string ConsumerType = "consumer";
    private readonly BrokerServices _services;

    public ListGroupsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<ListGroupsResponse?> HandleAsync(RequestContext context, ListGroupsRequest request)
    {
        var listed = new Dictionary<string, ListedGroup>(StringComparer.Ordinal);
        foreach (var group in _services.Groups.ListGroups())
        {
            listed[group.GroupId] = new ListedGroup { GroupId = group.GroupId, ProtocolType = group.ProtocolType, GroupState = group.State, GroupType = ClassicType };
        }

        foreach (var group in _services.ConsumerGroups.ListGroups())
        {
            if (group.Members.Count > 0 || !listed.ContainsKey(group.GroupId))
            {
                listed[group.GroupId] = new ListedGroup { GroupId = group.GroupId, ProtocolType = group.ProtocolType, GroupState = group.State, GroupType = ConsumerType };
            }
        }

        foreach (var groupId in _services.Store.GroupOffsets.ListGroups())
        {
            listed.TryAdd(groupId, new ListedGroup { GroupId = groupId, ProtocolType = "", GroupState = "Empty", GroupType = ClassicType });
        }

        var authorizer = _services.Authorizer;
        if (authorizer.IsEnabled && !authorizer.AllowsCluster(context, AclOperation.Describe))
        {
            foreach (var groupId in listed.Keys.ToArray())
            {
                if (!authorizer.AllowsGroup(context, AclOperation.Describe, groupId))
                {
                    listed.Remove(groupId);
                }
            }
        }

        var states = request.StatesFilter;
        var types = request.TypesFilter;
        var groups = listed.Values
            .Where(g => states.Count == 0 || states.Contains(g.GroupState, StringComparer.OrdinalIgnoreCase))
            .Where(g => types.Count == 0 || types.Contains(g.GroupType, StringComparer.OrdinalIgnoreCase))
            .OrderBy(g => g.GroupId, StringComparer.Ordinal)
            .ToArray();
        return new(new ListGroupsResponse { Groups = groups });
    }
}
