namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// The Kafka error codes the group member client meets, with Kafka's names for messages
/// (clients/src/main/java/org/apache/kafka/common/protocol/Errors.java).
/// </summary>
internal static class KafkaErrorCode
{
    public const short UnknownServerError = -1;
    public const short None = 0;
    public const short CoordinatorLoadInProgress = 14;
    public const short CoordinatorNotAvailable = 15;
    public const short NotCoordinator = 16;
    public const short IllegalGeneration = 22;
    public const short InconsistentGroupProtocol = 23;
    public const short InvalidGroupId = 24;
    public const short UnknownMemberId = 25;
    public const short InvalidSessionTimeout = 26;
    public const short RebalanceInProgress = 27;
    public const short GroupAuthorizationFailed = 30;
    public const short UnsupportedVersion = 35;
    public const short InvalidRequest = 42;
    public const short MemberIdRequired = 79;
    public const short GroupMaxSizeReached = 81;
    public const short FencedInstanceId = 82;

    /// <summary>The code with Kafka's name, for example <c>"REBALANCE_IN_PROGRESS (27)"</c>; codes not listed here show as <c>"error 57"</c>.</summary>
    public static string Describe(short code) => code switch
    {
        UnknownServerError => "UNKNOWN_SERVER_ERROR (-1)",
        None => "NONE (0)",
        CoordinatorLoadInProgress => "COORDINATOR_LOAD_IN_PROGRESS (14)",
        CoordinatorNotAvailable => "COORDINATOR_NOT_AVAILABLE (15)",
        NotCoordinator => "NOT_COORDINATOR (16)",
        IllegalGeneration => "ILLEGAL_GENERATION (22)",
        InconsistentGroupProtocol => "INCONSISTENT_GROUP_PROTOCOL (23)",
        InvalidGroupId => "INVALID_GROUP_ID (24)",
        UnknownMemberId => "UNKNOWN_MEMBER_ID (25)",
        InvalidSessionTimeout => "INVALID_SESSION_TIMEOUT (26)",
        RebalanceInProgress => "REBALANCE_IN_PROGRESS (27)",
        GroupAuthorizationFailed => "GROUP_AUTHORIZATION_FAILED (30)",
        UnsupportedVersion => "UNSUPPORTED_VERSION (35)",
        InvalidRequest => "INVALID_REQUEST (42)",
        MemberIdRequired => "MEMBER_ID_REQUIRED (79)",
        GroupMaxSizeReached => "GROUP_MAX_SIZE_REACHED (81)",
        FencedInstanceId => "FENCED_INSTANCE_ID (82)",
        _ => $"error {code}",
    };
}
