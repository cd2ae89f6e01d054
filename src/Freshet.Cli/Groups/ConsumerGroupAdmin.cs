using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Freshet.Cli.Targets;

namespace Freshet.Cli.Groups;

/// <summary>
/// The consumer groups of a Kafka-protocol cluster (<c>freshet broker</c>, Apache Kafka, Redpanda) through
/// Confluent.Kafka's AdminClient: what <c>freshet groups</c> lists, describes, resets and deletes. Every failure a user
/// can act on (unreachable broker, unknown group, active group, unknown topic) is a <see cref="CliException"/> with one
/// sentence. Only groups of consumers are seen (protocol type "consumer" or none), as with Kafka's AdminClient.
/// Thread-safety: one command at a time; the AdminClient is created in the constructor and disposed with this object.
/// </summary>
internal sealed class ConsumerGroupAdmin : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly string _bootstrap;
    private readonly IAdminClient _admin;

    public ConsumerGroupAdmin(string bootstrapServers)
    {
        BrokerTarget.EnsureKafkaClientLoaded();
        _bootstrap = bootstrapServers;
        _admin = new AdminClientBuilder(BrokerTarget.ClientConfig(bootstrapServers)).SetLogHandler(static (_, _) => { }).Build();
    }

    /// <summary>Every consumer group of the cluster, by group id.</summary>
    public IReadOnlyList<GroupListing> List()
    {
        EnsureReachable();
        List<ConsumerGroupListing> listed;
        try
        {
            listed = _admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = RequestTimeout }).GetAwaiter().GetResult().Valid;
        }
        catch (ListConsumerGroupsException e)
        {
            throw new CliException($"The broker at {_bootstrap} could not list its groups: {string.Join("; ", e.Results.Errors.Select(r => r.Reason))}.", e);
        }
        catch (KafkaException e)
        {
            throw Failed(e);
        }

        return listed
            .Select(g => new GroupListing(g.GroupId, StateName(g.State), TypeName(g.Type), g.IsSimpleConsumerGroup ? string.Empty : "consumer"))
            .OrderBy(g => g.GroupId, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>A group's state, coordinator, members and, per partition it has committed to or is assigned, offsets and lag.</summary>
    /// <exception cref="CliException">The group does not exist (no members and no committed offsets), or the broker failed.</exception>
    public GroupDescription Describe(string groupId)
    {
        EnsureReachable();
        if (!TryDescribeGroup(groupId, out var description))
        {
            throw new CliException($"Consumer group '{groupId}' does not exist.");
        }

        var members = description.Members
            .Select(m => new GroupMemberInfo(
                m.ConsumerId,
                m.GroupInstanceId,
                m.Host,
                m.ClientId,
                (m.Assignment?.TopicPartitions ?? []).Select(p => new TopicPartitionId(p.Topic, p.Partition.Value)).Order().ToArray()))
            .OrderBy(m => m.ConsumerId, StringComparer.Ordinal)
            .ToArray();
        var owners = new Dictionary<TopicPartitionId, GroupMemberInfo>();
        foreach (var member in members)
        {
            foreach (var partition in member.Assignment)
            {
                owners[partition] = member;
            }
        }

        var committed = CommittedOffsets(groupId);
        var partitions = committed.Keys.Union(owners.Keys).Order().ToArray();
        var ends = ListOffsets(partitions, OffsetSpec.Latest(), failOnError: false);
        var rows = partitions
            .Select(p => new GroupPartitionLag(
                p,
                committed.TryGetValue(p, out var offset) ? offset : null,
                ends.TryGetValue(p, out var end) ? end : null,
                owners.GetValueOrDefault(p)))
            .ToArray();
        var coordinator = description.Coordinator is { } node ? $"{node.Host}:{node.Port}" : "-";
        return new GroupDescription(groupId, StateName(description.State), coordinator, description.Coordinator?.Id ?? -1, description.PartitionAssignor ?? string.Empty, members, rows);
    }

    /// <summary>
    /// What a reset of <paramref name="groupId"/>'s committed offsets to <paramref name="target"/> would commit, per
    /// partition: those of <paramref name="topics"/>, or with null every partition the group has committed to. Changes
    /// nothing. Refused, as by Kafka, while the group has members: their commits would overwrite the reset.
    /// </summary>
    /// <exception cref="CliException">The group is active, a topic or partition does not exist, there is nothing to reset, or the broker failed.</exception>
    public IReadOnlyList<OffsetResetPlanRow> PlanReset(string groupId, IReadOnlyList<TopicSelection>? topics, OffsetResetTarget target)
    {
        EnsureReachable();

        // A group that does not exist may be given offsets (Kafka allows it: the group starts there).
        var exists = TryDescribeGroup(groupId, out var description);
        if (exists && (description.Members.Count > 0 || description.State is ConsumerGroupState.Stable or ConsumerGroupState.PreparingRebalance or ConsumerGroupState.CompletingRebalance))
        {
            throw new CliException(
                $"Consumer group '{groupId}' is active (state {StateName(description.State)}, {description.Members.Count} member(s)): " +
                "offsets can only be reset while the group has no members. Stop its consumers and try again.");
        }

        var committed = exists ? CommittedOffsets(groupId) : [];
        var partitions = topics is null ? committed.Keys.Order().ToArray() : PartitionsOf(topics);
        if (partitions.Length == 0)
        {
            throw new CliException($"Consumer group '{groupId}' has no committed offsets; name the topics to reset with --topic.");
        }

        var starts = ListOffsets(partitions, OffsetSpec.Earliest(), failOnError: true);
        var ends = ListOffsets(partitions, OffsetSpec.Latest(), failOnError: true);
        var atTime = target is OffsetResetTarget.ToDateTime time ? ListOffsets(partitions, OffsetSpec.ForTimestamp(time.TimestampMs), failOnError: true) : null;
        return partitions
            .Select(p =>
            {
                var current = committed.TryGetValue(p, out var offset) ? offset : (long?)null;
                var positions = new PartitionPositions(p, current, starts[p], ends[p], atTime?[p]);
                return new OffsetResetPlanRow(p, current, target.Resolve(positions));
            })
            .ToArray();
    }

    /// <summary>Commits <paramref name="plan"/>'s new offsets for <paramref name="groupId"/> in one request (AlterConsumerGroupOffsets).</summary>
    /// <exception cref="CliException">The broker refused (for example because a consumer joined the group meanwhile) or failed.</exception>
    public void ApplyReset(string groupId, IReadOnlyList<OffsetResetPlanRow> plan)
    {
        var offsets = plan.Select(r => new TopicPartitionOffset(r.Partition.Topic, r.Partition.Partition, r.NewOffset)).ToList();
        try
        {
            _admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets(groupId, offsets)], new AlterConsumerGroupOffsetsOptions { RequestTimeout = RequestTimeout })
                .GetAwaiter().GetResult();
        }
        catch (AlterConsumerGroupOffsetsException e)
        {
            var report = e.Results.Single();
            var errors = report.Partitions.Where(p => p.Error.IsError).Select(p => p.Error).Prepend(report.Error).Where(x => x.IsError).ToArray();
            var active = errors.Any(x => x.Code is ErrorCode.UnknownMemberId or ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration);
            throw new CliException(active
                ? $"Consumer group '{groupId}' became active while its offsets were being reset; the broker refused the new offsets ({errors[0].Reason}). Stop its consumers and try again."
                : $"The broker refused the new offsets of consumer group '{groupId}': {string.Join("; ", errors.Select(x => x.Reason).Distinct())}.", e);
        }
        catch (KafkaException e)
        {
            throw Failed(e);
        }
    }

    /// <summary>Deletes an empty group with its committed offsets.</summary>
    /// <exception cref="CliException">The group has members, does not exist, or the broker failed.</exception>
    public void Delete(string groupId)
    {
        EnsureReachable();
        try
        {
            _admin.DeleteGroupsAsync([groupId], new DeleteGroupsOptions { RequestTimeout = RequestTimeout }).GetAwaiter().GetResult();
        }
        catch (DeleteGroupsException e)
        {
            var error = e.Results.Single().Error;
            throw new CliException(error.Code switch
            {
                ErrorCode.NonEmptyGroup => $"Consumer group '{groupId}' is not empty: it has members. Stop its consumers and try again.",
                ErrorCode.GroupIdNotFound => $"Consumer group '{groupId}' does not exist.",
                _ => $"Cannot delete consumer group '{groupId}': {error.Reason}.",
            }, e);
        }
        catch (KafkaException e)
        {
            throw Failed(e);
        }
    }

    public void Dispose() => _admin.Dispose();

    private static string StateName(ConsumerGroupState state) => state.ToString();

    private static string TypeName(ConsumerGroupType type) => type switch
    {
        ConsumerGroupType.Classic => "classic",
        ConsumerGroupType.Consumer => "consumer",
        _ => "unknown",
    };

    /// <summary>
    /// Fails with "Cannot reach" unless the cluster answers a metadata request. Every command starts with it: the group
    /// calls report an unreachable broker only as a per-group timeout, and librdkafka 2.16 aborts the process (a double
    /// free) after a ListConsumerGroups that timed out.
    /// </summary>
    private void EnsureReachable()
    {
        try
        {
            _admin.GetMetadata(RequestTimeout);
        }
        catch (KafkaException e)
        {
            throw Failed(e);
        }
    }

    /// <summary>False when the coordinator knows nothing about the group (Kafka's "Dead" state, or GROUP_ID_NOT_FOUND).</summary>
    private bool TryDescribeGroup(string groupId, out ConsumerGroupDescription description)
    {
        try
        {
            description = _admin.DescribeConsumerGroupsAsync([groupId], new DescribeConsumerGroupsOptions { RequestTimeout = RequestTimeout })
                .GetAwaiter().GetResult().ConsumerGroupDescriptions.Single();
        }
        catch (DescribeConsumerGroupsException e)
        {
            description = e.Results.ConsumerGroupDescriptions.Single();
        }
        catch (KafkaException e)
        {
            throw Failed(e);
        }

        if (description.Error.Code == ErrorCode.GroupIdNotFound || (!description.Error.IsError && description.State == ConsumerGroupState.Dead))
        {
            return false;
        }

        if (description.Error.IsError)
        {
            throw new CliException($"Cannot describe consumer group '{groupId}': {description.Error.Reason}.");
        }

        return true;
    }

    private Dictionary<TopicPartitionId, long> CommittedOffsets(string groupId)
    {
        List<TopicPartitionOffsetError> partitions;
        try
        {
            partitions = _admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(groupId, null)], new ListConsumerGroupOffsetsOptions { RequestTimeout = RequestTimeout })
                .GetAwaiter().GetResult().Single().Partitions;
        }
        catch (ListConsumerGroupOffsetsException e)
        {
            var report = e.Results.Single();
            throw new CliException($"Cannot read the committed offsets of consumer group '{groupId}': {(report.Error.IsError ? report.Error : report.Partitions.First(p => p.Error.IsError).Error).Reason}.", e);
        }
        catch (KafkaException e)
        {
            throw Failed(e);
        }

        // A partition listed with a negative offset has none committed (librdkafka reports it as Offset.Unset).
        return partitions
            .Where(p => !p.Error.IsError && p.Offset.Value >= 0)
            .ToDictionary(p => new TopicPartitionId(p.Topic, p.Partition.Value), p => p.Offset.Value);
    }

    /// <summary>Every partition of each selection, checked against the cluster's metadata.</summary>
    private TopicPartitionId[] PartitionsOf(IReadOnlyList<TopicSelection> topics)
    {
        var partitions = new SortedSet<TopicPartitionId>();
        foreach (var selection in topics)
        {
            Metadata metadata;
            try
            {
                metadata = _admin.GetMetadata(selection.Topic, RequestTimeout);
            }
            catch (KafkaException e)
            {
                throw Failed(e);
            }

            var topic = metadata.Topics.SingleOrDefault(t => t.Topic == selection.Topic);
            if (topic is null || topic.Error.Code != ErrorCode.NoError)
            {
                throw new CliException($"Topic '{selection.Topic}' does not exist.");
            }

            var existing = topic.Partitions.Select(p => p.PartitionId).ToHashSet();
            foreach (var partition in selection.Partitions ?? existing.Order().ToArray())
            {
                if (!existing.Contains(partition))
                {
                    throw new CliException($"Topic '{selection.Topic}' has no partition {partition} (it has {existing.Count}).");
                }

                partitions.Add(new TopicPartitionId(selection.Topic, partition));
            }
        }

        return partitions.ToArray();
    }

    /// <summary>
    /// The offsets ListOffsets finds for <paramref name="spec"/>; a partition it reports an error for is left out, or
    /// with <paramref name="failOnError"/> fails the call.
    /// </summary>
    private Dictionary<TopicPartitionId, long> ListOffsets(TopicPartitionId[] partitions, OffsetSpec spec, bool failOnError)
    {
        if (partitions.Length == 0)
        {
            return [];
        }

        var request = partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(p.Topic, p.Partition), OffsetSpec = spec }).ToArray();
        List<ListOffsetsResultInfo> infos;
        try
        {
            infos = _admin.ListOffsetsAsync(request, new ListOffsetsOptions { RequestTimeout = RequestTimeout }).GetAwaiter().GetResult().ResultInfos;
        }
        catch (ListOffsetsException e)
        {
            infos = e.Result.ResultInfos;
            var failed = infos.FirstOrDefault(i => i.TopicPartitionOffsetError.Error.IsError);
            if (failOnError && failed is not null)
            {
                var p = failed.TopicPartitionOffsetError;
                throw new CliException($"Cannot read the offsets of {p.Topic}-{p.Partition.Value}: {p.Error.Reason}.", e);
            }
        }
        catch (KafkaException e)
        {
            throw Failed(e);
        }

        return infos
            .Select(i => i.TopicPartitionOffsetError)
            .Where(p => !p.Error.IsError)
            .ToDictionary(p => new TopicPartitionId(p.Topic, p.Partition.Value), p => p.Offset.Value);
    }

    private CliException Failed(KafkaException e) => e.Error.Code is ErrorCode.Local_Transport or ErrorCode.Local_TimedOut or ErrorCode.Local_AllBrokersDown
        ? new CliException($"Cannot reach a Kafka broker at {_bootstrap} ({e.Error.Reason}).", e)
        : new CliException($"The broker at {_bootstrap} answered: {e.Error.Reason}.", e);
}
