namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>One member of a <see cref="ConsumerGroupDetail"/>.</summary>
/// <param name="Assigned">The partitions the member owns now, by topic id, partitions ascending.</param>
/// <param name="Target">The partitions the target assignment gives the member (it gets them as others release them).</param>
internal sealed record ConsumerMemberDetail(
    string MemberId,
    string? InstanceId,
    string? RackId,
    int MemberEpoch,
    string ClientId,
    string ClientHost,
    IReadOnlyList<string> SubscribedTopicNames,
    IReadOnlyDictionary<Guid, int[]> Assigned,
    IReadOnlyDictionary<Guid, int[]> Target);
