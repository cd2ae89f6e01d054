namespace Freshet.Broker.Groups;

/// <summary>The Kafka error codes the group coordinator answers with.</summary>
internal static class GroupErrorCode
{
    public const short UnknownServerError = -1;
    public const short None = 0;
    public const short UnknownTopicOrPartition = 3;
    public const short OffsetMetadataTooLarge = 12;
    public const short CoordinatorNotAvailable = 15;
    public const short IllegalGeneration = 22;
    public const short InconsistentGroupProtocol = 23;
    public const short InvalidGroupId = 24;
    public const short UnknownMemberId = 25;
    public const short InvalidSessionTimeout = 26;
    public const short RebalanceInProgress = 27;
    public const short MemberIdRequired = 79;
    public const short NonEmptyGroup = 68;
    public const short GroupIdNotFound = 69;
    public const short FencedInstanceId = 82;
    public const short GroupSubscribedToTopic = 86;
    public const short UnsupportedVersion = 35;
    public const short InvalidRequest = 42;
    public const short FencedMemberEpoch = 110;
    public const short UnsupportedAssignor = 112;
    public const short StaleMemberEpoch = 113;
}
