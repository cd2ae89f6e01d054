using Freshet.Broker.Security.Authorization;
using Freshet.Broker.Groups;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log;
using Freshet.Log.Groups;

namespace Freshet.Broker.Handlers;

/// <summary>
/// OffsetCommit 0-9, in Kafka's order: partitions of unknown topics get UNKNOWN_TOPIC_OR_PARTITION (3)
/// whatever the group says (and when no partition exists the coordinator is not asked at all); the
/// others are checked with the group coordinator (member, static instance, generation and state, see
/// <see cref="GroupCoordinator.CheckCommit"/>), then stored durably as one batch in the log's group
/// offset store. Metadata over 4096 characters gets OFFSET_METADATA_TOO_LARGE (12). The retention
/// time of v2-4 is ignored (offsets are kept until the group or the topic is deleted), and so is the
/// commit timestamp of v1. Commits to a consumer protocol group (KIP-848) are checked by
/// <see cref="Groups.ConsumerProtocol.ConsumerProtocolCoordinator.TryCheckCommit"/> instead: v9 with the
/// member's current epoch (STALE_MEMBER_EPOCH, 113, otherwise). v0 carries no generation or member id, so its commits are "simple" commits.
/// With authorization on, as in Kafka: every partition gets GROUP_AUTHORIZATION_FAILED (30) when the principal may not READ
/// the group, and TOPIC_AUTHORIZATION_FAILED (29) when it may not READ the partition's topic.
/// </summary>
internal sealed class OffsetCommitHandler : ApiHandler<OffsetCommitRequest, OffsetCommitResponse>
{
    private readonly BrokerServices _services;

    public OffsetCommitHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<OffsetCommitResponse?> HandleAsync(RequestContext context, OffsetCommitRequest request)
    {
        var codes = new short[request.Topics.Count][];
        var anyKnown = false;
        var authorizer = _services.Authorizer;
        var groupAllowed = authorizer.AllowsGroup(context, AclOperation.Read, request.GroupId);
        for (var t = 0; t < request.Topics.Count; t++)
        {
            var topic = request.Topics[t];
            codes[t] = new short[topic.Partitions.Count];
            var topicAllowed = groupAllowed && authorizer.AllowsTopic(context, AclOperation.Read, topic.Name);
            for (var p = 0; p < topic.Partitions.Count; p++)
            {
                if (!topicAllowed)
                {
                    codes[t][p] = groupAllowed ? KafkaErrorCode.TopicAuthorizationFailed : KafkaErrorCode.GroupAuthorizationFailed;
                    continue;
                }

                var known = _services.Store.TryGetPartition(topic.Name, topic.Partitions[p].PartitionIndex, out _);
                codes[t][p] = known ? GroupErrorCode.None : KafkaErrorCode.UnknownTopicOrPartition;
                anyKnown |= known;
            }
        }

        var groupError = anyKnown ? CheckGroup(request, context.ApiVersion) : GroupErrorCode.None;
        var commits = new List<OffsetCommit>();
        for (var t = 0; t < request.Topics.Count; t++)
        {
            var topic = request.Topics[t];
            for (var p = 0; p < topic.Partitions.Count; p++)
            {
                if (codes[t][p] != GroupErrorCode.None)
                {
                    continue;
                }

                var partition = topic.Partitions[p];
                codes[t][p] = groupError != GroupErrorCode.None ? groupError
                    : partition.CommittedMetadata is { Length: > GroupOffsetStore.MaxMetadataLength } ? GroupErrorCode.OffsetMetadataTooLarge
                    : GroupErrorCode.None;
                if (codes[t][p] == GroupErrorCode.None)
                {
                    commits.Add(new OffsetCommit(topic.Name, partition.PartitionIndex, partition.CommittedOffset, partition.CommittedMetadata, partition.CommittedLeaderEpoch));
                }
            }
        }

        if (commits.Count > 0)
        {
            short storeError = GroupErrorCode.None;
            try
            {
                _services.Store.GroupOffsets.Commit(request.GroupId, commits);
            }
            catch (LogException e)
            {
                storeError = (short)e.ErrorCode;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                storeError = GroupErrorCode.CoordinatorNotAvailable;
            }

            if (storeError != GroupErrorCode.None)
            {
                foreach (var topicCodes in codes)
                {
                    for (var p = 0; p < topicCodes.Length; p++)
                    {
                        topicCodes[p] = topicCodes[p] == GroupErrorCode.None ? storeError : topicCodes[p];
                    }
                }
            }
        }

        var topics = new OffsetCommitResponseTopic[request.Topics.Count];
        for (var t = 0; t < topics.Length; t++)
        {
            var partitions = new OffsetCommitResponsePartition[codes[t].Length];
            for (var p = 0; p < partitions.Length; p++)
            {
                partitions[p] = new OffsetCommitResponsePartition { PartitionIndex = request.Topics[t].Partitions[p].PartitionIndex, ErrorCode = codes[t][p] };
            }

            topics[t] = new OffsetCommitResponseTopic { Name = request.Topics[t].Name, Partitions = partitions };
        }

        return new(new OffsetCommitResponse { Topics = topics });
    }

    // A consumer protocol group (KIP-848) checks the member epoch; any other group is the classic coordinator's.
    private short CheckGroup(OffsetCommitRequest request, short apiVersion) =>
        _services.ConsumerGroups.TryCheckCommit(request.GroupId, request.MemberId, request.GenerationIdOrMemberEpoch, apiVersion, transactional: false, out var consumerProtocolError)
            ? consumerProtocolError
            : _services.Groups.CheckCommit(request.GroupId, request.MemberId, request.GroupInstanceId, request.GenerationIdOrMemberEpoch);
}
