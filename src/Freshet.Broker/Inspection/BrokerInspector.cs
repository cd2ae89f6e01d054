using Freshet.Broker.Groups;
using Freshet.Broker.Groups.ConsumerProtocol;
using Freshet.Broker.Handlers;
using Freshet.Log.Partitions;

namespace Freshet.Broker.Inspection;

/// <summary>
/// Builds the read-only snapshots of <see cref="KafkaBroker.DescribeTopics"/>, <see cref="KafkaBroker.DescribeGroups"/>
/// and <see cref="KafkaBroker.DescribeTransactions"/> from the broker's services. Partition positions are read without
/// locks (published values); a group is read under its own lock, the transactions under the coordinator's lock, the
/// same locks the request handlers take, each held only to copy. Groups and topics deleted while a snapshot is taken
/// are left out of it. Thread-safe: holds no state of its own.
/// </summary>
internal sealed class BrokerInspector(BrokerServices services)
{
    private const string ConsumerProtocolType = ConsumerSubscription.ProtocolType;

    /// <inheritdoc cref="KafkaBroker.DescribeTopics"/>
    public IReadOnlyList<TopicOverview> DescribeTopics()
    {
        var store = services.Store;
        var topics = new List<TopicOverview>();
        foreach (var name in store.ListTopics())
        {
            var partitions = new List<PartitionOverview>();
            for (var id = 0; store.TryGetPartition(name, id, out var partition); id++)
            {
                partitions.Add(Overview(partition));
            }

            if (partitions.Count > 0)
            {
                topics.Add(new TopicOverview(name, IsInternal: false, partitions));
            }
        }

        foreach (var log in new[] { store.GroupOffsets.Log, store.Transactions.Log })
        {
            topics.Add(new TopicOverview(log.Topic, IsInternal: true, [Overview(log)]));
        }

        topics.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return topics;
    }

    /// <inheritdoc cref="KafkaBroker.DescribeGroups"/>
    public IReadOnlyList<GroupOverview> DescribeGroups()
    {
        // Which description of a group id wins follows ListGroups: a classic group, unless a consumer protocol group of
        // that id has members or there is no classic one; a group known only by its offsets is Empty.
        var groups = new Dictionary<string, GroupOverview>(StringComparer.Ordinal);
        foreach (var group in services.Groups.ListGroups())
        {
            groups[group.GroupId] = FromClassic(group);
        }

        Dictionary<Guid, string>? topicNames = null;
        foreach (var group in services.ConsumerGroups.ListGroups())
        {
            if ((group.Members.Count > 0 || !groups.ContainsKey(group.GroupId)) && services.ConsumerGroups.TryDescribeInDetail(group.GroupId, out var detail))
            {
                topicNames ??= TopicNamesById();
                groups[group.GroupId] = FromConsumerProtocol(detail, topicNames);
            }
        }

        foreach (var groupId in services.Store.GroupOffsets.ListGroups())
        {
            if (!groups.ContainsKey(groupId))
            {
                groups[groupId] = new GroupOverview(groupId, "Empty", "", null, [], []);
            }
        }

        var result = new List<GroupOverview>(groups.Count);
        foreach (var group in groups.Values)
        {
            result.Add(group with { Offsets = Lags(group.GroupId) });
        }

        result.Sort(static (a, b) => string.CompareOrdinal(a.GroupId, b.GroupId));
        return result;
    }

    /// <inheritdoc cref="KafkaBroker.DescribeTransactions"/>
    public IReadOnlyList<TransactionOverview> DescribeTransactions()
    {
        var open = services.Store.Transactions.DescribeOpenTransactions();
        var result = new TransactionOverview[open.Count];
        for (var i = 0; i < open.Count; i++)
        {
            var transaction = open[i];
            var partitions = transaction.Partitions.Select(static p => new TopicPartitionReference(p.Topic, p.Partition));
            result[i] = new TransactionOverview(
                transaction.TransactionalId,
                transaction.ProducerId,
                transaction.ProducerEpoch,
                TransactionStateNames.Of(transaction.State),
                transaction.StartTimestampMs >= 0 ? DateTimeOffset.FromUnixTimeMilliseconds(transaction.StartTimestampMs) : null,
                Sorted(partitions));
        }

        return result;
    }

    /// <summary>
    /// The committed offsets of <paramref name="groupId"/> with each partition's lag, by topic then partition. A
    /// partition that no longer exists has log end offset -1 and lag 0.
    /// </summary>
    public IReadOnlyList<GroupPartitionLag> Lags(string groupId)
    {
        var committed = services.Store.GroupOffsets.FetchAll(groupId);
        var lags = new List<GroupPartitionLag>(committed.Count);
        foreach (var offset in committed)
        {
            lags.Add(services.Store.TryGetPartition(offset.Topic, offset.Partition, out var partition)
                ? Lag(offset.Topic, offset.Partition, offset.Offset, partition.LogEndOffset)
                : new GroupPartitionLag(offset.Topic, offset.Partition, offset.Offset, -1, 0));
        }

        lags.Sort(static (a, b) => a.Topic == b.Topic ? a.Partition.CompareTo(b.Partition) : string.CompareOrdinal(a.Topic, b.Topic));
        return lags;
    }

    /// <summary>
    /// The lag of every group with committed offsets in every partition it committed to, for the
    /// <c>freshet.consumer_group.lag</c> gauge; partitions that no longer exist are left out.
    /// </summary>
    public IEnumerable<(string GroupId, GroupPartitionLag Lag)> ConsumerLags()
    {
        foreach (var groupId in services.Store.GroupOffsets.ListGroups())
        {
            foreach (var offset in services.Store.GroupOffsets.FetchAll(groupId))
            {
                if (services.Store.TryGetPartition(offset.Topic, offset.Partition, out var partition))
                {
                    yield return (groupId, Lag(offset.Topic, offset.Partition, offset.Offset, partition.LogEndOffset));
                }
            }
        }
    }

    /// <summary>The lag of a committed offset against a log end offset: their difference, never below 0 (a commit past the end, or a truncated log).</summary>
    public static GroupPartitionLag Lag(string topic, int partition, long committedOffset, long logEndOffset) =>
        new(topic, partition, committedOffset, logEndOffset, Math.Max(0, logEndOffset - committedOffset));

    private static PartitionOverview Overview(Partition partition) =>
        new(partition.Id, partition.LogStartOffset, partition.LogEndOffset, partition.LastStableOffset, partition.SizeBytes, partition.SegmentCount);

    private static GroupOverview FromClassic(GroupDescription group)
    {
        var members = new List<GroupMemberOverview>(group.Members.Count);
        foreach (var member in group.Members)
        {
            IReadOnlyList<TopicPartitionReference> assignment = [];
            if (group.ProtocolType == ConsumerProtocolType && ConsumerAssignment.TryReadPartitions(member.Assignment, out var partitions))
            {
                assignment = Sorted(partitions.Select(static p => new TopicPartitionReference(p.Topic, p.Partition)));
            }

            members.Add(new GroupMemberOverview(member.MemberId, member.GroupInstanceId, member.ClientId, member.ClientHost, assignment));
        }

        members.Sort(static (a, b) => string.CompareOrdinal(a.MemberId, b.MemberId));
        return new GroupOverview(group.GroupId, group.State, group.ProtocolType, NullIfEmpty(group.Protocol), members, []);
    }

    // A topic deleted since it was assigned has no name any more; its partitions are left out.
    private static GroupOverview FromConsumerProtocol(ConsumerGroupDetail group, Dictionary<Guid, string> topicNames)
    {
        var members = new List<GroupMemberOverview>(group.Members.Count);
        foreach (var member in group.Members)
        {
            var assignment = new List<TopicPartitionReference>();
            foreach (var (topicId, partitions) in member.Assigned)
            {
                if (topicNames.TryGetValue(topicId, out var topic))
                {
                    foreach (var partition in partitions)
                    {
                        assignment.Add(new TopicPartitionReference(topic, partition));
                    }
                }
            }

            members.Add(new GroupMemberOverview(member.MemberId, member.InstanceId, member.ClientId, member.ClientHost, Sorted(assignment)));
        }

        members.Sort(static (a, b) => string.CompareOrdinal(a.MemberId, b.MemberId));
        return new GroupOverview(group.GroupId, group.State, ConsumerProtocolType, members.Count == 0 ? null : group.AssignorName, members, []);
    }

    private Dictionary<Guid, string> TopicNamesById()
    {
        var names = new Dictionary<Guid, string>();
        foreach (var name in services.Store.ListTopics())
        {
            if (services.Store.TryDescribeTopic(name, out var description))
            {
                names[description.TopicId] = name;
            }
        }

        return names;
    }

    private static TopicPartitionReference[] Sorted(IEnumerable<TopicPartitionReference> partitions)
    {
        var sorted = partitions.ToArray();
        Array.Sort(sorted, static (a, b) => a.Topic == b.Topic ? a.Partition.CompareTo(b.Partition) : string.CompareOrdinal(a.Topic, b.Topic));
        return sorted;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
