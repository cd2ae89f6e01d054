using Freshet.Broker.Security.Authorization;
using Freshet.Broker.Groups;
using Freshet.Broker.Groups.ConsumerProtocol;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// ConsumerGroupDescribe 0 (KIP-848): each consumer protocol group with its state, epochs, assignor and members, each
/// member with its subscription, the partitions it owns and those its target assignment gives it (topics by id and
/// name). As in Kafka, a group that is not a consumer protocol group (a classic group, one with only committed offsets,
/// an unknown id) gets GROUP_ID_NOT_FOUND (69): librdkafka then describes it with DescribeGroups. An empty id gets
/// INVALID_GROUP_ID (24). A group that had consumer protocol members and now has classic ones is the classic
/// coordinator's, as DescribeGroups decides. Authorized operations, when asked for, come from the authorizer. With
/// authorization on, a group the principal may not DESCRIBE gets GROUP_AUTHORIZATION_FAILED (30).
/// </summary>
internal sealed class ConsumerGroupDescribeHandler : ApiHandler<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse>
{
    private readonly BrokerServices _services;

    public ConsumerGroupDescribeHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<ConsumerGroupDescribeResponse?> HandleAsync(RequestContext context, ConsumerGroupDescribeRequest request)
    {
        var topicNames = new Lazy<Dictionary<Guid, string>>(TopicNamesById);
        var groups = new ConsumerGroupDescribeGroup[request.GroupIds.Count];
        for (var i = 0; i < groups.Length; i++)
        {
            var id = request.GroupIds[i];
            if (id.Length == 0)
            {
                groups[i] = new ConsumerGroupDescribeGroup { GroupId = id, ErrorCode = GroupErrorCode.InvalidGroupId, ErrorMessage = "The group id is empty." };
            }
            else if (!_services.Authorizer.AllowsGroup(context, AclOperation.Describe, id))
            {
                groups[i] = new ConsumerGroupDescribeGroup { GroupId = id, ErrorCode = KafkaErrorCode.GroupAuthorizationFailed, ErrorMessage = $"Describing group {id} needs DESCRIBE on it." };
            }
            else if (_services.ConsumerGroups.TryDescribeInDetail(id, out var detail) && (detail.Members.Count > 0 || _services.Groups.Describe(id, false).State == "Dead"))
            {
                groups[i] = Describe(detail, request.IncludeAuthorizedOperations ? _services.Authorizer.OperationsOn(context, AclResourceType.Group, id) : int.MinValue, topicNames.Value);
            }
            else
            {
                groups[i] = new ConsumerGroupDescribeGroup { GroupId = id, ErrorCode = GroupErrorCode.GroupIdNotFound, ErrorMessage = $"Group {id} is not a consumer group." };
            }
        }

        return new(new ConsumerGroupDescribeResponse { Groups = groups });
    }

    private static ConsumerGroupDescribeGroup Describe(ConsumerGroupDetail detail, int authorizedOperations, Dictionary<Guid, string> topicNames) => new()
    {
        GroupId = detail.GroupId,
        GroupState = detail.State,
        GroupEpoch = detail.GroupEpoch,
        AssignmentEpoch = detail.AssignmentEpoch,
        AssignorName = detail.AssignorName,
        Members = detail.Members.Select(m => new ConsumerGroupDescribeMember
        {
            MemberId = m.MemberId,
            InstanceId = m.InstanceId,
            RackId = m.RackId,
            MemberEpoch = m.MemberEpoch,
            ClientId = m.ClientId,
            ClientHost = m.ClientHost,
            SubscribedTopicNames = m.SubscribedTopicNames,
            Assignment = Assignment(m.Assigned, topicNames),
            TargetAssignment = Assignment(m.Target, topicNames),
        }).ToArray(),
        AuthorizedOperations = authorizedOperations,
    };

    // A topic deleted since it was assigned has no name any more: it is reported with an empty name, as Kafka reports
    // a topic id its metadata image no longer has.
    private static ConsumerGroupDescribeAssignment Assignment(IReadOnlyDictionary<Guid, int[]> partitions, Dictionary<Guid, string> topicNames) => new()
    {
        TopicPartitions = partitions
            .Select(t => new ConsumerGroupDescribeTopicPartitions { TopicId = t.Key, TopicName = topicNames.GetValueOrDefault(t.Key, string.Empty), Partitions = t.Value })
            .OrderBy(t => t.TopicName, StringComparer.Ordinal)
            .ToArray(),
    };

    private Dictionary<Guid, string> TopicNamesById()
    {
        var names = new Dictionary<Guid, string>();
        foreach (var name in _services.Store.ListTopics())
        {
            if (_services.Store.TryDescribeTopic(name, out var description))
            {
                names[description.TopicId] = name;
            }
        }

        return names;
    }
}
