using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// OffsetDelete 0 (KIP-496): deletes a group's committed offsets for partitions it no longer consumes.
/// As in Kafka, partitions of unknown topics get UNKNOWN_TOPIC_OR_PARTITION (3) without reaching the
/// coordinator; the others get NONE or GROUP_SUBSCRIBED_TO_TOPIC (86). A group-level error
/// (GROUP_ID_NOT_FOUND 69, NON_EMPTY_GROUP 68 for a non-consumer group with members, INVALID_GROUP_ID 24,
/// COORDINATOR_NOT_AVAILABLE 15) is answered alone, with no topics.
/// With authorization on, as in Kafka: GROUP_AUTHORIZATION_FAILED (30) without DELETE on the group; partitions of topics
/// the principal may not READ get TOPIC_AUTHORIZATION_FAILED (29).
/// </summary>
internal sealed class OffsetDeleteHandler : ApiHandler<OffsetDeleteRequest, OffsetDeleteResponse>
{
    private readonly BrokerServices _services;

    public OffsetDeleteHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<OffsetDeleteResponse?> HandleAsync(RequestContext context, OffsetDeleteRequest request)
    {
        var authorizer = _services.Authorizer;
        if (!authorizer.AllowsGroup(context, AclOperation.Delete, request.GroupId))
        {
            return new(new OffsetDeleteResponse { ErrorCode = KafkaErrorCode.GroupAuthorizationFailed });
        }

        // Codes of the partitions of unknown or unreadable topics are fixed now; the rest come from the coordinator, in order.
        var known = new List<(string Topic, int Partition)>();
        var codes = new short?[request.Topics.Count][];
        for (var t = 0; t < codes.Length; t++)
        {
            var topic = request.Topics[t];
            codes[t] = new short?[topic.Partitions.Count];
            var topicAllowed = authorizer.AllowsTopic(context, AclOperation.Read, topic.Name);
            for (var p = 0; p < topic.Partitions.Count; p++)
            {
                var index = topic.Partitions[p].PartitionIndex;
                if (!topicAllowed)
                {
                    codes[t][p] = KafkaErrorCode.TopicAuthorizationFailed;
                }
                else if (_services.Store.TryGetPartition(topic.Name, index, out _))
                {
                    known.Add((topic.Name, index));
                }
                else
                {
                    codes[t][p] = KafkaErrorCode.UnknownTopicOrPartition;
                }
            }
        }

        var result = _services.Groups.DeleteOffsets(request.GroupId, known);
        if (result.ErrorCode != KafkaErrorCode.None)
        {
            return new(new OffsetDeleteResponse { ErrorCode = result.ErrorCode });
        }

        var next = 0;
        var topics = new OffsetDeleteResponseTopic[request.Topics.Count];
        for (var t = 0; t < topics.Length; t++)
        {
            var topic = request.Topics[t];
            var partitions = new OffsetDeleteResponsePartition[topic.Partitions.Count];
            for (var p = 0; p < partitions.Length; p++)
            {
                partitions[p] = new OffsetDeleteResponsePartition
                {
                    PartitionIndex = topic.Partitions[p].PartitionIndex,
                    ErrorCode = codes[t][p] ?? result.PartitionErrors[next++],
                };
            }

            topics[t] = new OffsetDeleteResponseTopic { Name = topic.Name, Partitions = partitions };
        }

        return new(new OffsetDeleteResponse { Topics = topics });
    }
}
