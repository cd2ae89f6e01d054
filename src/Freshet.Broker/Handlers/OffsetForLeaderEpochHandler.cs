using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Partitions;

namespace Freshet.Broker.Handlers;

/// <summary>
/// OffsetForLeaderEpoch 0-4 (KIP-101, KIP-320): per partition, the end offset of the asked leader epoch,
/// with which a consumer checks that the log it read has not been truncated under it. Every partition
/// has had one epoch, <see cref="Partition.LeaderEpoch"/> (0), since its first offset, so Kafka's rules for
/// a leader-epoch cache holding one entry apply: epoch 0 ends at the log end offset; a larger epoch is
/// unknown (epoch and offset -1, no error); -1 asks for nothing (-1, -1); any other negative epoch lies
/// before the first one and ends where epoch 0 starts, offset 0. The current leader epoch (v2+) is fenced
/// as Fetch fences it (<see cref="LeaderEpochs"/>); an unknown partition gets UNKNOWN_TOPIC_OR_PARTITION (3), and, with authorization on, a partition of a topic the
/// principal may not DESCRIBE TOPIC_AUTHORIZATION_FAILED (29).
/// </summary>
internal sealed class OffsetForLeaderEpochHandler : ApiHandler<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse>
{
    // Where epoch 0 starts: the first offset a partition ever assigns.
    private const long FirstEpochStartOffset = 0;

    private readonly BrokerServices _services;

    public OffsetForLeaderEpochHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<OffsetForLeaderEpochResponse?> HandleAsync(RequestContext context, OffsetForLeaderEpochRequest request)
    {
        var topics = new OffsetForLeaderTopicResult[request.Topics.Count];
        for (var t = 0; t < topics.Length; t++)
        {
            var topic = request.Topics[t];
            var allowed = _services.Authorizer.AllowsTopic(context, AclOperation.Describe, topic.Topic);
            var partitions = new OffsetForLeaderEpochEndOffset[topic.Partitions.Count];
            for (var p = 0; p < partitions.Length; p++)
            {
                partitions[p] = allowed
                    ? EndOffset(topic.Topic, topic.Partitions[p])
                    : new OffsetForLeaderEpochEndOffset { Partition = topic.Partitions[p].Partition, LeaderEpoch = LeaderEpochs.Unknown, EndOffset = -1, ErrorCode = KafkaErrorCode.TopicAuthorizationFailed };
            }

            topics[t] = new OffsetForLeaderTopicResult { Topic = topic.Topic, Partitions = partitions };
        }

        return new(new OffsetForLeaderEpochResponse { Topics = topics });
    }

    private OffsetForLeaderEpochEndOffset EndOffset(string topic, OffsetForLeaderPartition request)
    {
        var answer = new OffsetForLeaderEpochEndOffset { Partition = request.Partition, LeaderEpoch = LeaderEpochs.Unknown, EndOffset = -1 };
        if (!_services.Store.TryGetPartition(topic, request.Partition, out var partition))
        {
            answer.ErrorCode = KafkaErrorCode.UnknownTopicOrPartition;
            return answer;
        }

        answer.ErrorCode = LeaderEpochs.Check(request.CurrentLeaderEpoch);
        if (answer.ErrorCode != KafkaErrorCode.None)
        {
            return answer;
        }

        switch (request.LeaderEpoch)
        {
            case Partition.LeaderEpoch:
                answer.LeaderEpoch = Partition.LeaderEpoch;
                answer.EndOffset = partition.HighWatermark;
                break;
            case < LeaderEpochs.Unknown:
                answer.LeaderEpoch = request.LeaderEpoch;
                answer.EndOffset = FirstEpochStartOffset;
                break;
        }

        return answer;
    }
}
