namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// The classic group protocol's error handling as Kafka's clients do it (AbstractCoordinator), as pure functions:
/// which <see cref="GroupErrorAction"/> an error code calls for, and the message of a fatal one. Thread-safe.
/// </summary>
internal static class GroupErrorPolicy
{
    private const short RequestTimedOut = 7;
    private const short NetworkException = 13;

    /// <summary>The action for <paramref name="errorCode"/> in an answer to JoinGroup, SyncGroup or Heartbeat.</summary>
    public static GroupErrorAction Classify(short errorCode) => errorCode switch
    {
        KafkaErrorCode.None => GroupErrorAction.None,
        KafkaErrorCode.RebalanceInProgress or KafkaErrorCode.IllegalGeneration or KafkaErrorCode.MemberIdRequired => GroupErrorAction.Rejoin,
        KafkaErrorCode.UnknownMemberId => GroupErrorAction.RejoinAsNewMember,
        KafkaErrorCode.NotCoordinator or KafkaErrorCode.CoordinatorNotAvailable or KafkaErrorCode.CoordinatorLoadInProgress
            or KafkaErrorCode.UnknownServerError or RequestTimedOut or NetworkException => GroupErrorAction.FindCoordinator,
        _ => GroupErrorAction.Fatal,
    };

    /// <summary>Why the member stops on a fatal <paramref name="errorCode"/>, in words that say what to change.</summary>
    public static string FatalMessage(short errorCode, string api, GroupMemberOptions options) => errorCode switch
    {
        KafkaErrorCode.FencedInstanceId =>
            $"Another process joined group \"{options.GroupId}\" with the same group instance id \"{options.GroupInstanceId}\" ({api} answered {KafkaErrorCode.Describe(errorCode)}): this member is fenced and stops. Give every instance its own group instance id.",
        KafkaErrorCode.InconsistentGroupProtocol =>
            $"Group \"{options.GroupId}\" is in use with another protocol type or protocol than \"{options.ProtocolType}\"/\"{options.ProtocolName}\" ({api} answered {KafkaErrorCode.Describe(errorCode)}): another application, or a Kafka consumer group, has the same id.",
        KafkaErrorCode.InvalidSessionTimeout =>
            $"The broker refused the session timeout of {options.SessionTimeout.TotalMilliseconds} ms ({api} answered {KafkaErrorCode.Describe(errorCode)}); it must lie within the broker's group.min.session.timeout.ms and group.max.session.timeout.ms.",
        KafkaErrorCode.GroupAuthorizationFailed =>
            $"The broker does not allow this client to join group \"{options.GroupId}\" ({api} answered {KafkaErrorCode.Describe(errorCode)}); grant it Read on the group.",
        KafkaErrorCode.GroupMaxSizeReached =>
            $"Group \"{options.GroupId}\" is full ({api} answered {KafkaErrorCode.Describe(errorCode)}); raise the broker's group.max.size or run fewer instances.",
        _ => $"{api} for group \"{options.GroupId}\" failed with {KafkaErrorCode.Describe(errorCode)}, which retrying cannot fix.",
    };
}
