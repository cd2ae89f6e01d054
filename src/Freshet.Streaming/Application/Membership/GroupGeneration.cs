namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// The group generation a member's current assignment belongs to: what Kafka calls the consumer group metadata, and
/// what a transactional offset commit must carry so the coordinator can fence a member of an older generation.
/// An immutable value.
/// </summary>
/// <param name="GenerationId">The generation, increased by the coordinator with every completed rebalance.</param>
/// <param name="MemberId">The id the coordinator gave this member.</param>
/// <param name="GroupInstanceId">The static member identity (<c>group.instance.id</c>), or null for a dynamic member.</param>
internal sealed record GroupGeneration(int GenerationId, string MemberId, string? GroupInstanceId);
