namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// Inside a <see cref="GroupMember"/>'s loop: the coordinator moved, is loading or cannot be reached, so the loop
/// finds it again after a backoff. Never leaves the member.
/// </summary>
internal sealed class CoordinatorUnavailableException : Exception
{
    /// <summary>Creates the exception with what happened, for the revocation reason should the session run out.</summary>
    public CoordinatorUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
