namespace Freshet.Cli.Groups;

/// <summary>A member of a group as <c>freshet groups describe</c> shows it.</summary>
/// <param name="ConsumerId">The member id the coordinator gave the consumer.</param>
/// <param name="GroupInstanceId">The static member id (<c>group.instance.id</c>), null for a dynamic member.</param>
/// <param name="Host">The client's address as the coordinator saw it (Kafka writes <c>/127.0.0.1</c>).</param>
/// <param name="Assignment">The partitions assigned to the member, in topic and partition order.</param>
internal sealed record GroupMemberInfo(string ConsumerId, string? GroupInstanceId, string Host, string ClientId, IReadOnlyList<TopicPartitionId> Assignment);
