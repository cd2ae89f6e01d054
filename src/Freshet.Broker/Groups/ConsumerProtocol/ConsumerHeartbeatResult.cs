namespace Freshet.Broker.Groups.ConsumerProtocol;

/// <summary>The answer to a ConsumerGroupHeartbeat; <see cref="Assignment"/> is null when the member's assignment did not change.</summary>
internal sealed record ConsumerHeartbeatResult(short ErrorCode, string? ErrorMessage, string? MemberId, int MemberEpoch, int HeartbeatIntervalMs, PartitionAssignment? Assignment)
{
    /// <summary>A failed heartbeat.</summary>
    public static ConsumerHeartbeatResult Error(short errorCode, string message) => new(errorCode, message, null, -1, 0, null);
}
