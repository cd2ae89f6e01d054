using Freshet.Broker.Security.Authorization;
using Freshet.Log;
using Freshet.Kafka.Protocol.Messages;
using Freshet.Log.Partitions;
using Freshet.Log.Records;

namespace Freshet.Broker.Handlers;

/// <summary>
/// ListOffsets 0-7: per partition, the earliest offset (timestamp -2: the log start offset), the latest
/// (-1: the high watermark, or the last stable offset for isolation level 1, read_committed), the newest record (-3, v7: offset and timestamp of the record with the largest
/// timestamp, found by scanning batch headers) or the first offset whose record timestamp is at least the
/// given time (<see cref="Partition.TryFindOffsetByTimestamp"/>), answered with that record's timestamp;
/// offset and timestamp -1 when every record is older. v4+ answer with the partition's leader epoch
/// (<see cref="Partition.LeaderEpoch"/>, -1 when no offset is found) and fence the client's current epoch (<see cref="LeaderEpochs"/>).
/// v0 asks for a list of offsets and gets the same answer as a list: the offset found, if any and if
/// <c>MaxNumOffsets</c> is positive (Kafka could also list segment base offsets before a time; one offset
/// is what the clients that still send v0 ask for, with -1 or -2). With authorization on, every partition of a topic
/// the principal may not DESCRIBE gets TOPIC_AUTHORIZATION_FAILED (29).
/// </summary>
internal sealed class ListOffsetsHandler : ApiHandler<ListOffsetsRequest, ListOffsetsResponse>
{
    private const long MaxTimestamp = -3;

    private const sbyte ReadCommitted = 1;

    /// <summary>Bytes read per step when scanning a partition for its newest timestamp.</summary>
    private const int ScanChunkBytes = 1024 * 1024;

    private readonly BrokerServices _services;

    public ListOffsetsHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<ListOffsetsResponse?> HandleAsync(RequestContext context, ListOffsetsRequest request)
    {
        var topics = new ListOffsetsTopicResponse[request.Topics.Count];
        for (var t = 0; t < topics.Length; t++)
        {
            var topic = request.Topics[t];
            var allowed = _services.Authorizer.AllowsTopic(context, AclOperation.Describe, topic.Name);
            var partitions = new ListOffsetsPartitionResponse[topic.Partitions.Count];
            for (var p = 0; p < partitions.Length; p++)
            {
                partitions[p] = allowed
                    ? Lookup(topic.Name, topic.Partitions[p], request.IsolationLevel == ReadCommitted)
                    : new ListOffsetsPartitionResponse { PartitionIndex = topic.Partitions[p].PartitionIndex, Timestamp = -1, Offset = -1, LeaderEpoch = -1, ErrorCode = KafkaErrorCode.TopicAuthorizationFailed };
                if (context.ApiVersion == 0)
                {
                    partitions[p].OldStyleOffsets = partitions[p].Offset >= 0 && topic.Partitions[p].MaxNumOffsets > 0 ? [partitions[p].Offset] : [];
                }
            }

            topics[t] = new ListOffsetsTopicResponse { Name = topic.Name, Partitions = partitions };
        }

        return new(new ListOffsetsResponse { Topics = topics });
    }

    private ListOffsetsPartitionResponse Lookup(string topic, ListOffsetsPartition request, bool readCommitted)
    {
        var answer = new ListOffsetsPartitionResponse { PartitionIndex = request.PartitionIndex, Timestamp = -1, Offset = -1, LeaderEpoch = -1 };
        if (!_services.Store.TryGetPartition(topic, request.PartitionIndex, out var partition))
        {
            answer.ErrorCode = KafkaErrorCode.UnknownTopicOrPartition;
            return answer;
        }

        answer.ErrorCode = LeaderEpochs.Check(request.CurrentLeaderEpoch);
        if (answer.ErrorCode != KafkaErrorCode.None)
        {
            return answer;
        }

        try
        {
            switch (request.Timestamp)
            {
                case ListOffsetsPartition.EarliestTimestamp:
                    answer.Offset = partition.LogStartOffset;
                    break;
                case ListOffsetsPartition.LatestTimestamp:
                    answer.Offset = readCommitted ? partition.LastStableOffset : partition.HighWatermark;
                    break;
                case MaxTimestamp:
                    (answer.Offset, answer.Timestamp) = FindMaxTimestamp(partition);
                    break;
                case < 0:
                    answer.ErrorCode = KafkaErrorCode.InvalidRequest;
                    break;
                default:
                    (answer.Offset, answer.Timestamp) = FindByTimestamp(partition, request.Timestamp);
                    break;
            }
        }
        catch (Exception e) when (ErrorMapping.IsPartitionFailure(e))
        {
            answer.ErrorCode = ErrorMapping.ToErrorCode(e);
            answer.Offset = -1;
            answer.Timestamp = -1;
        }

        if (answer.ErrorCode == KafkaErrorCode.None && answer.Offset >= 0)
        {
            answer.LeaderEpoch = Partition.LeaderEpoch;
        }

        return answer;
    }

    /// <summary>
    /// The first offset whose timestamp is at least <paramref name="timestampMs"/> and that timestamp; (-1, -1) when
    /// every record is older. Retention may delete the record found before its timestamp is read: the lookup is then
    /// repeated over what remains, rather than answering OFFSET_OUT_OF_RANGE for a lookup that names no offset.
    /// </summary>
    private static (long Offset, long Timestamp) FindByTimestamp(Partition partition, long timestampMs)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (!partition.TryFindOffsetByTimestamp(timestampMs, out var offset))
            {
                return (-1, -1);
            }

            try
            {
                return (offset, TimestampAt(partition, offset));
            }
            catch (LogException e) when (e.ErrorCode == LogErrorCode.OffsetOutOfRange && attempt < 3)
            {
                // Deleted by retention meanwhile; look again.
            }
        }
    }

    /// <summary>The timestamp of the record at <paramref name="offset"/>.</summary>
    /// <exception cref="LogException"><see cref="LogErrorCode.OffsetOutOfRange"/> when retention deleted it meanwhile.</exception>
    private static long TimestampAt(Partition partition, long offset)
    {
        var read = partition.Read(offset, 1);
        foreach (var record in RecordBatchReader.ReadRecords(read.Records))
        {
            if (record.Offset >= offset)
            {
                return record.Timestamp;
            }
        }

        return -1;
    }

    /// <summary>Offset and timestamp of the first record holding the largest timestamp of the partition; (-1, -1) when it is empty.</summary>
    private static (long Offset, long Timestamp) FindMaxTimestamp(Partition partition)
    {
        long bestTimestamp = -1;
        long bestBatchOffset = -1;
        var offset = partition.LogStartOffset;
        var end = partition.HighWatermark;
        while (offset < end)
        {
            LogReadResult read;
            try
            {
                read = partition.Read(offset, ScanChunkBytes);
            }
            catch (LogException e) when (e.ErrorCode == LogErrorCode.OffsetOutOfRange && offset < partition.LogStartOffset)
            {
                // Retention deleted the segment being scanned: go on from the new log start.
                offset = partition.LogStartOffset;
                continue;
            }

            if (read.Records.IsEmpty)
            {
                break;
            }

            foreach (var (header, _) in RecordBatchReader.ReadBatches(read.Records))
            {
                if (header.MaxTimestamp > bestTimestamp)
                {
                    bestTimestamp = header.MaxTimestamp;
                    bestBatchOffset = header.BaseOffset;
                }

                offset = Math.Max(offset, header.LastOffset + 1);
            }
        }

        if (bestBatchOffset < 0)
        {
            return (-1, -1);
        }

        foreach (var record in RecordBatchReader.ReadRecords(partition.Read(bestBatchOffset, 1).Records))
        {
            if (record.Timestamp == bestTimestamp)
            {
                return (record.Offset, record.Timestamp);
            }
        }

        return (-1, -1);
    }
}
