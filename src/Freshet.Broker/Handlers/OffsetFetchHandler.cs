using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// OffsetFetch 0-7: committed offsets of a group from the log's group offset store, for the listed
/// partitions or (v2+, topics null) for every partition the group committed. A partition without a
/// commit gets offset -1 and no error, as in Kafka.
/// With authorization on, as in Kafka: GROUP_AUTHORIZATION_FAILED (30) when the principal may not DESCRIBE the group
/// (READ implies it); partitions of a named topic it may not DESCRIBE get TOPIC_AUTHORIZATION_FAILED (29), and a request
/// for all offsets leaves such topics out.
/// </summary>
internal sealed class OffsetFetchHandler : ApiHandler<OffsetFetchRequest, OffsetFetchResponse>
{
    private readonly BrokerServices _services;

    public OffsetFetchHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<OffsetFetchResponse?> HandleAsync(RequestContext context, OffsetFetchRequest request)
    {
        var offsets = _services.Store.GroupOffsets;
        var authorizer = _services.Authorizer;
        if (!authorizer.AllowsGroup(context, AclOperation.Describe, request.GroupId))
        {
            return new(GroupAuthorizationFailed(request));
        }

        OffsetFetchResponseTopic[] topics;
        if (request.Topics is null)
        {
            topics = offsets.FetchAll(request.GroupId)
                .Where(c => authorizer.AllowsTopic(context, AclOperation.Describe, c.Topic))
                .GroupBy(c => c.Topic, StringComparer.Ordinal)
                .Select(g => new OffsetFetchResponseTopic
                {
                    Name = g.Key,
                    Partitions = g.Select(c => new OffsetFetchResponsePartition { PartitionIndex = c.Partition, CommittedOffset = c.Offset, CommittedLeaderEpoch = c.LeaderEpoch, Metadata = c.Metadata }).ToArray(),
                })
                .ToArray();
        }
        else
        {
            topics = new OffsetFetchResponseTopic[request.Topics.Count];
            for (var t = 0; t < topics.Length; t++)
            {
                var topic = request.Topics[t];
                var topicAllowed = authorizer.AllowsTopic(context, AclOperation.Describe, topic.Name);
                var partitions = new OffsetFetchResponsePartition[topic.PartitionIndexes.Count];
                for (var p = 0; p < partitions.Length; p++)
                {
                    var index = topic.PartitionIndexes[p];
                    partitions[p] = !topicAllowed
                        ? new OffsetFetchResponsePartition { PartitionIndex = index, CommittedOffset = -1, CommittedLeaderEpoch = -1, Metadata = "", ErrorCode = KafkaErrorCode.TopicAuthorizationFailed }
                        : offsets.TryFetch(request.GroupId, topic.Name, index, out var committed)
                        ? new OffsetFetchResponsePartition { PartitionIndex = index, CommittedOffset = committed.Offset, CommittedLeaderEpoch = committed.LeaderEpoch, Metadata = committed.Metadata }
                        : new OffsetFetchResponsePartition { PartitionIndex = index, CommittedOffset = -1, CommittedLeaderEpoch = -1, Metadata = "" };
                }

                topics[t] = new OffsetFetchResponseTopic { Name = topic.Name, Partitions = partitions };
            }
        }

        return new(new OffsetFetchResponse { Topics = topics });
    }

    /// <summary>The answer to a principal that may not describe the group: top-level in v2+, per partition before.</summary>
    private static OffsetFetchResponse GroupAuthorizationFailed(OffsetFetchRequest request)
    {
        var topics = (request.Topics ?? []).Select(t => new OffsetFetchResponseTopic
        {
            Name = t.Name,
            Partitions = [.. t.PartitionIndexes.Select(i => new OffsetFetchResponsePartition { PartitionIndex = i, CommittedOffset = -1, CommittedLeaderEpoch = -1, Metadata = "", ErrorCode = KafkaErrorCode.GroupAuthorizationFailed })],
        }).ToArray();
        return new OffsetFetchResponse { ErrorCode = KafkaErrorCode.GroupAuthorizationFailed, Topics = topics };
    }
}
