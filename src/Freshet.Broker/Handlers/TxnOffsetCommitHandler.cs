using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Groups;
using Freshet.Log.Transactions;

namespace Freshet.Broker.Handlers;

/// <summary>
/// TxnOffsetCommit 0-3: commits a group's offsets inside the producer's transaction through the log's
/// <see cref="TransactionCoordinator.TxnOffsetCommit"/>, all or nothing: OffsetFetch sees them after
/// the transaction commits, never if it aborts. A failure is every partition's error; a fenced
/// producer gets INVALID_PRODUCER_EPOCH (47), the code this API uses for it in Kafka. The generation,
/// member id and instance id of v3 are checked against the group first, as Kafka does
/// (<see cref="Groups.GroupCoordinator.CheckTxnCommit"/>: UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID or
/// ILLEGAL_GENERATION for every partition); older versions carry none and are not checked. Members of
/// a consumer protocol group (KIP-848) send their member epoch as the generation: UNKNOWN_MEMBER_ID or,
/// for another epoch, ILLEGAL_GENERATION.
/// With authorization on, as in Kafka: every partition gets TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53) without WRITE on the
/// transactional id and GROUP_AUTHORIZATION_FAILED (30) without READ on the group; partitions of topics the principal may
/// not READ get TOPIC_AUTHORIZATION_FAILED (29) and are not committed.
/// </summary>
internal sealed class TxnOffsetCommitHandler : ApiHandler<TxnOffsetCommitRequest, TxnOffsetCommitResponse>
{
    private readonly BrokerServices _services;

    public TxnOffsetCommitHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<TxnOffsetCommitResponse?> HandleAsync(RequestContext context, TxnOffsetCommitRequest request)
    {
        var authorizer = _services.Authorizer;
        var authorizationError = !authorizer.AllowsTransactionalId(context, AclOperation.Write, request.TransactionalId) ? KafkaErrorCode.TransactionalIdAuthorizationFailed
            : !authorizer.AllowsGroup(context, AclOperation.Read, request.GroupId) ? KafkaErrorCode.GroupAuthorizationFailed
            : KafkaErrorCode.None;
        var topicAllowed = new bool[request.Topics.Count];
        var offsets = new List<OffsetCommit>();
        for (var t = 0; t < request.Topics.Count; t++)
        {
            var topic = request.Topics[t];
            topicAllowed[t] = authorizer.AllowsTopic(context, AclOperation.Read, topic.Name);
            foreach (var partition in topic.Partitions)
            {
                if (!topicAllowed[t])
                {
                    continue;
                }

                offsets.Add(new OffsetCommit(topic.Name, partition.PartitionIndex, partition.CommittedOffset, partition.CommittedMetadata, partition.CommittedLeaderEpoch));
            }
        }

        var error = authorizationError != KafkaErrorCode.None ? authorizationError
            : string.IsNullOrEmpty(request.GroupId)
            ? KafkaErrorCode.None
            : _services.ConsumerGroups.TryCheckCommit(request.GroupId, request.MemberId, request.GenerationId, context.ApiVersion, transactional: true, out var consumerProtocolError)
                ? consumerProtocolError
                : _services.Groups.CheckTxnCommit(request.GroupId, request.MemberId, request.GroupInstanceId, request.GenerationId);
        if (error == KafkaErrorCode.None && offsets.Count > 0)
        {
            try
            {
                _services.Store.Transactions.TxnOffsetCommit(request.TransactionalId, request.ProducerId, request.ProducerEpoch, request.GroupId, offsets);
            }
            catch (Exception e) when (ErrorMapping.IsPartitionFailure(e))
            {
                error = TransactionErrors.ToErrorCode(e, context, firstVersionWithProducerFenced: short.MaxValue, _services.TransactionsLogger);
            }
        }

        var topics = new TxnOffsetCommitResponseTopic[request.Topics.Count];
        for (var t = 0; t < topics.Length; t++)
        {
            var topic = request.Topics[t];
            var partitions = new TxnOffsetCommitResponsePartition[topic.Partitions.Count];
            for (var p = 0; p < partitions.Length; p++)
            {
                partitions[p] = new TxnOffsetCommitResponsePartition
                {
                    PartitionIndex = topic.Partitions[p].PartitionIndex,
                    ErrorCode = error == KafkaErrorCode.None && !topicAllowed[t] ? KafkaErrorCode.TopicAuthorizationFailed : error,
                };
            }

            topics[t] = new TxnOffsetCommitResponseTopic { Name = topic.Name, Partitions = partitions };
        }

        return new(new TxnOffsetCommitResponse { Topics = topics });
    }
}
