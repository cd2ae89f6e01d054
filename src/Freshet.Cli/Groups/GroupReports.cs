namespace Freshet.Cli.Groups;

/// <summary>One consumer group as <c>freshet groups list</c> shows it.</summary>
/// <param name="State">Kafka's group state name: Empty, Stable, PreparingRebalance, CompletingRebalance, Dead, ... (Unknown when the broker does not say).</param>
/// <param name="Type">The group protocol: classic (JoinGroup/SyncGroup) or consumer (KIP-848); Unknown when the broker does not say.</param>
/// <param name="ProtocolType">"consumer" for a group of consumers, empty for a simple group that only stores offsets.</param>
internal sealed record GroupListing(string GroupId, string State, string Type, string ProtocolType);

/// <summary>A member of a group as <c>freshet groups describe</c> shows it.</summary>
/// <param name="ConsumerId">The member id the coordinator gave the consumer.</param>
/// <param name="GroupInstanceId">The static member id (<c>group.instance.id</c>), null for a dynamic member.</param>
/// <param name="Host">The client's address as the coordinator saw it (Kafka writes <c>/127.0.0.1</c>).</param>
/// <param name="Assignment">The partitions assigned to the member, in topic and partition order.</param>
internal sealed record GroupMemberInfo(string ConsumerId, string? GroupInstanceId, string Host, string ClientId, IReadOnlyList<TopicPartitionId> Assignment);

/// <summary>A topic partition, ordered by topic then partition.</summary>
internal readonly record struct TopicPartitionId(string Topic, int Partition) : IComparable<TopicPartitionId>
{
    /// <inheritdoc/>
    public int CompareTo(TopicPartitionId other)
    {
        var byTopic = string.CompareOrdinal(Topic, other.Topic);
        return byTopic != 0 ? byTopic : Partition.CompareTo(other.Partition);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Topic}-{Partition.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>One row of <c>freshet groups describe</c>: a partition the group has committed an offset for or is assigned.</summary>
/// <param name="CommittedOffset">The group's committed offset (the next record it will read); null when it has committed none.</param>
/// <param name="LogEndOffset">The partition's log end offset (the offset the next appended record gets), read_uncommitted as Kafka's tool reads it; null when the broker could not say (a deleted topic).</param>
/// <param name="Member">The member the partition is assigned to; null when no member has it.</param>
internal sealed record GroupPartitionLag(TopicPartitionId Partition, long? CommittedOffset, long? LogEndOffset, GroupMemberInfo? Member)
{
    /// <summary>Records between the committed offset and the log end; null without either.</summary>
    public long? Lag => CommittedOffset is { } committed && LogEndOffset is { } end ? Math.Max(0, end - committed) : null;
}

/// <summary>A consumer group as <c>freshet groups describe</c> shows it.</summary>
/// <param name="Coordinator">The group coordinator broker as host:port.</param>
/// <param name="CoordinatorId">The coordinator's node id.</param>
/// <param name="PartitionAssignor">The chosen assignment strategy (range, roundrobin, cooperative-sticky, uniform, ...); empty when none.</param>
internal sealed record GroupDescription(
    string GroupId,
    string State,
    string Coordinator,
    int CoordinatorId,
    string PartitionAssignor,
    IReadOnlyList<GroupMemberInfo> Members,
    IReadOnlyList<GroupPartitionLag> Partitions);

/// <summary>One partition of a <c>freshet groups reset-offsets</c> plan.</summary>
/// <param name="CurrentOffset">The group's committed offset now; null when it has none.</param>
/// <param name="NewOffset">The offset the group will have committed after the reset.</param>
internal sealed record OffsetResetPlanRow(TopicPartitionId Partition, long? CurrentOffset, long NewOffset);
