namespace Freshet.Broker.Inspection;

/// <summary>One member of a <see cref="GroupOverview"/>. Immutable; thread-safe.</summary>
/// <param name="MemberId">The member id the coordinator gave it.</param>
/// <param name="GroupInstanceId">Its static membership id (<c>group.instance.id</c>), or null for a dynamic member.</param>
/// <param name="ClientId">The client id it connected with.</param>
/// <param name="ClientHost">The address it connected from, as Kafka reports it (for example <c>/127.0.0.1</c>).</param>
/// <param name="Assignment">The partitions it owns, by topic (ordinal) then partition ascending. For a classic group of
/// protocol type <c>consumer</c>, decoded from the assignment the leader sent in SyncGroup (empty until the group is
/// Stable, or if the bytes are not a valid consumer assignment); for a consumer protocol group, the partitions the member
/// owns now; empty for other protocol types, whose assignments Freshet cannot read.</param>
public sealed record GroupMemberOverview(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, IReadOnlyList<TopicPartitionReference> Assignment);
