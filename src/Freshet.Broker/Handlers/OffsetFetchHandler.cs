using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// OffsetFetch 0-7: committed offsets of a group from the log's group offset store, for the listed
/// partitions or (v2+, topics null) for every partition the group committed. A partition without a
/// commit gets offset -1 and no error, as in Kafka.
/// </summary>
internal sealed class OffsetFetchHandler : ApiHandler<OffsetFetchRequest, OffsetFetchResponse>
{
    private readonly BrokerServices _services;

    public OffsetFetchHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<OffsetFetchResponse?> HandleAsync(RequestContext context, OffsetFetchRequest request)
    {
        var offsets = _services.Store.GroupOffsets;
        OffsetFetchResponseTopic[] topics;
        if (request.Topics is null)
        {
            topics = offsets.FetchAll(request.GroupId)
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
                var partitions = new OffsetFetchResponsePartition[topic.PartitionIndexes.Count];
                for (var p = 0; p < partitions.Length; p++)
                {
                    var index = topic.PartitionIndexes[p];
                    partitions[p] = offsets.TryFetch(request.GroupId, topic.Name, index, out var committed)
                        ? new OffsetFetchResponsePartition { PartitionIndex = index, CommittedOffset = committed.Offset, CommittedLeaderEpoch = committed.LeaderEpoch, Metadata = committed.Metadata }
                        : new OffsetFetchResponsePartition { PartitionIndex = index, CommittedOffset = -1, CommittedLeaderEpoch = -1, Metadata = "" };
                }

                topics[t] = new OffsetFetchResponseTopic { Name = topic.Name, Partitions = partitions };
            }
        }

        return new(new OffsetFetchResponse { Topics = topics });
    }
}
