namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// A <see cref="GroupMember"/> stopped for good: it was fenced by another process with the same group instance id,
/// the coordinator refused it in a way retrying cannot fix, or its listener failed. The message says which and what
/// to change.
/// </summary>
internal sealed class GroupMembershipException : InvalidOperationException
{
    /// <summary>Creates the exception for a Kafka error code (or -1 when the cause is not one).</summary>
    public GroupMembershipException(string message, short errorCode, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The Kafka error code that ended the membership, or <see cref="KafkaErrorCode.UnknownServerError"/> (-1) when the cause is not one.</summary>
    public short ErrorCode { get; }
}
