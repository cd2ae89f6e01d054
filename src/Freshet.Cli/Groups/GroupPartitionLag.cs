namespace Freshet.Cli.Groups;

/// <summary>One row of <c>freshet groups describe</c>: a partition the group has committed an offset for or is assigned.</summary>
/// <param name="CommittedOffset">The group's committed offset (the next record it will read); null when it has committed none.</param>
/// <param name="LogEndOffset">The partition's log end offset (the offset the next appended record gets), read_uncommitted as Kafka's tool reads it; null when the broker could not say (a deleted topic).</param>
/// <param name="Member">The member the partition is assigned to; null when no member has it.</param>
internal sealed record GroupPartitionLag(TopicPartitionId Partition, long? CommittedOffset, long? LogEndOffset, GroupMemberInfo? Member)
{
    /// <summary>Records between the committed offset and the log end; null without either.</summary>
    public long? Lag => CommittedOffset is { } committed && LogEndOffset is { } end ? Math.Max(0, end - committed) : null;
}
