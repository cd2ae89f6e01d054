using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// Produce 3-9: appends each partition's record batches to the log, which stores them as sent unless the
/// topic's <c>compression.type</c> or <c>message.timestamp.type</c> asks for another codec or for the append
/// time (see <see cref="Freshet.Log.Partitions.Partition.Append"/>), and answers per partition with the
/// base offset, the log start offset and the append time for LogAppendTime topics (-1 for CreateTime
/// ones, as Kafka answers). Errors are per partition: the log's codes unchanged
/// (CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, OUT_OF_ORDER_SEQUENCE_NUMBER, ...), UNKNOWN_TOPIC_OR_PARTITION for
/// a partition that does not exist (Produce never creates topics), INVALID_REQUIRED_ACKS (21) for acks
/// other than 0, 1, -1. Transactional batches are appended only to partitions the producer added to its
/// open transaction at its current epoch (the log answers INVALID_TXN_STATE (48) or
/// INVALID_PRODUCER_EPOCH (47) otherwise).
/// With authorization on: every partition of a topic the principal may not WRITE gets TOPIC_AUTHORIZATION_FAILED (29),
/// and a transactional produce whose transactional id it may not WRITE gets TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53)
/// on every partition, as in Kafka.
/// </summary>
/// <remarks>
/// Acknowledgement: on a single node acks=1 and acks=all are the same; the response is sent after
/// <see cref="Freshet.Log.Partitions.Partition.Append"/> returns, so the data is durable to the degree
/// the topic's flush policy promises. Idempotent producers are checked by the log's producer state: a
/// re-sent batch is answered with its original offsets and no error. acks=0 gets no response at all;
/// if any partition failed, the connection is closed instead, as Kafka does, so the client notices.
/// After any append that stored records, Fetch long polls are woken.
/// </remarks>
internal sealed class ProduceHandler : ApiHandler<ProduceRequest, ProduceResponse>
{
    private readonly BrokerServices _services;

    public ProduceHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<ProduceResponse?> HandleAsync(RequestContext context, ProduceRequest request)
    {
        var acks = request.Acks;
        var requestError = acks is not (0 or 1 or -1) ? KafkaErrorCode.InvalidRequiredAcks : KafkaErrorCode.None;
        var authorizer = _services.Authorizer;
        if (requestError == KafkaErrorCode.None && request.TransactionalId is { } transactionalId && !authorizer.AllowsTransactionalId(context, AclOperation.Write, transactionalId))
        {
            requestError = KafkaErrorCode.TransactionalIdAuthorizationFailed;
        }

        var anyError = false;
        var appended = false;
        var topics = new TopicProduceResponse[request.TopicData.Count];
        for (var t = 0; t < topics.Length; t++)
        {
            var topic = request.TopicData[t];
            var topicAllowed = authorizer.AllowsTopic(context, AclOperation.Write, topic.Name);
            var partitions = new PartitionProduceResponse[topic.PartitionData.Count];
            for (var p = 0; p < partitions.Length; p++)
            {
                var data = topic.PartitionData[p];
                var response = new PartitionProduceResponse { Index = data.Index, BaseOffset = -1, LogAppendTimeMs = -1, LogStartOffset = -1 };
                if (requestError != KafkaErrorCode.None)
                {
                    response.ErrorCode = requestError;
                    response.ErrorMessage = requestError == KafkaErrorCode.InvalidRequiredAcks
                        ? $"acks must be 0, 1 or -1 (got {acks})."
                        : $"Producing with transactional id '{request.TransactionalId}' needs WRITE on it.";
                }
                else if (!topicAllowed)
                {
                    response.ErrorCode = KafkaErrorCode.TopicAuthorizationFailed;
                    response.ErrorMessage = $"Producing to topic '{topic.Name}' needs WRITE on it.";
                }
                else
                {
                    appended |= Append(context, topic.Name, data, response);
                }

                if (response.ErrorCode != KafkaErrorCode.None)
                {
                    anyError = true;
                    _services.Metrics.PartitionError(ApiKeys.Produce, response.ErrorCode);
                }

                partitions[p] = response;
            }

            topics[t] = new TopicProduceResponse { Name = topic.Name, PartitionResponses = partitions };
        }

        if (appended)
        {
            _services.Appended.Notify();
        }

        if (acks == 0)
        {
            context.CloseConnection = anyError;
            return new((ProduceResponse?)null);
        }

        return new(new ProduceResponse { Responses = topics });
    }

    /// <summary>Appends one partition's batches and fills <paramref name="response"/>; returns whether records were stored.</summary>
    private bool Append(RequestContext context, string topic, PartitionProduceData data, PartitionProduceResponse response)
    {
        if (!_services.Store.TryGetPartition(topic, data.Index, out var partition))
        {
            response.ErrorCode = KafkaErrorCode.UnknownTopicOrPartition;
            response.ErrorMessage = $"Partition {topic}-{data.Index} does not exist.";
            return false;
        }

        if (data.Records is not { Length: > 0 } records)
        {
            response.ErrorCode = KafkaErrorCode.CorruptMessage;
            response.ErrorMessage = $"The produce request for {topic}-{data.Index} holds no record batches.";
            return false;
        }

        try
        {
            var result = partition.Append(records);
            response.BaseOffset = result.BaseOffset;
            response.LogAppendTimeMs = result.IsLogAppendTime ? result.LogAppendTimeMs : -1;
            response.LogStartOffset = result.LogStartOffset;
            return !result.IsDuplicate;
        }
        catch (Exception e) when (ErrorMapping.IsPartitionFailure(e))
        {
            response.ErrorCode = ErrorMapping.ToErrorCode(e);
            response.ErrorMessage = e.Message;
            TransactionErrors.LogIfFenced(response.ErrorCode, e, context, _services.TransactionsLogger);
            return false;
        }
    }
}
