namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>
/// A ConsumerGroupHeartbeat as the coordinator needs it. Null (or -1 for the rebalance timeout) means
/// "unchanged since the last heartbeat".
/// </summary>
internal sealed record ConsumerHeartbeatRequest(
    string GroupId,
    string MemberId,
    int MemberEpoch,
    string? InstanceId,
    string? RackId,
    int RebalanceTimeoutMs,
    IReadOnlyList<string>? SubscribedTopicNames,
    string? SubscribedTopicRegex,
    string? ServerAssignor,
    PartitionAssignment? OwnedPartitions,
    string ClientId,
    string ClientHost);
