namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// The group's coordinator refused an offset commit because the committing member is no longer a current member of
/// the generation it named (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID) or the group is rebalancing
/// (REBALANCE_IN_PROGRESS): the tasks that committed were given, or are about to be given, to others. Kafka Streams
/// calls this a migrated task; the task stops without retrying and waits for its new assignment.
/// </summary>
internal sealed class OffsetCommitFencedException : Exception
{
    public OffsetCommitFencedException(string message, short errorCode)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The Kafka error code the coordinator answered.</summary>
    public short ErrorCode { get; }
}
