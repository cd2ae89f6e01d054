using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DeleteRecords 0-2: moves each partition's log start offset (its low watermark) up to the given offset,
/// -1 meaning the high watermark, and answers the low watermark afterwards. Per partition: an unknown topic
/// or partition gets UNKNOWN_TOPIC_OR_PARTITION (3), an offset above the high watermark or negative other
/// than -1 OFFSET_OUT_OF_RANGE (1), a compact-only topic POLICY_VIOLATION (44); failed partitions answer a
/// low watermark of -1, as Kafka's do. The new log start is durable before the answer, and Fetch and
/// ListOffsets report it at once; a fetch below it gets OFFSET_OUT_OF_RANGE. Deleting wakes no waiting
/// fetch: no record became visible. With a single replica there is nothing to wait for, so the request's
/// timeout is not used.
/// With authorization on, partitions of a topic the principal may not DELETE get TOPIC_AUTHORIZATION_FAILED (29).
/// </summary>
internal sealed class DeleteRecordsHandler : ApiHandler<DeleteRecordsRequest, DeleteRecordsResponse>
{
    private readonly BrokerServices _services;

    public DeleteRecordsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<DeleteRecordsResponse?> HandleAsync(RequestContext context, DeleteRecordsRequest request)
    {
        var topics = new DeleteRecordsTopicResult[request.Topics.Count];
        for (var t = 0; t < topics.Length; t++)
        {
            var topic = request.Topics[t];
            var allowed = _services.Authorizer.AllowsTopic(context, AclOperation.Delete, topic.Name);
            var partitions = new DeleteRecordsPartitionResult[topic.Partitions.Count];
            for (var p = 0; p < partitions.Length; p++)
            {
                partitions[p] = allowed
                    ? DeletePartition(topic.Name, topic.Partitions[p])
                    : new DeleteRecordsPartitionResult { PartitionIndex = topic.Partitions[p].PartitionIndex, LowWatermark = -1, ErrorCode = KafkaErrorCode.TopicAuthorizationFailed };
            }

            topics[t] = new DeleteRecordsTopicResult { Name = topic.Name, Partitions = partitions };
        }

        return new(new DeleteRecordsResponse { Topics = topics });
    }

    private DeleteRecordsPartitionResult DeletePartition(string topic, DeleteRecordsPartition request)
    {
        var result = new DeleteRecordsPartitionResult { PartitionIndex = request.PartitionIndex, LowWatermark = -1 };
        if (!_services.Store.TryGetPartition(topic, request.PartitionIndex, out var partition))
        {
            result.ErrorCode = KafkaErrorCode.UnknownTopicOrPartition;
            return result;
        }

        try
        {
            result.LowWatermark = partition.DeleteRecordsBefore(request.Offset);
        }
        catch (Exception e) when (ErrorMapping.IsPartitionFailure(e))
        {
            result.ErrorCode = ErrorMapping.ToErrorCode(e);
        }

        return result;
    }
}
