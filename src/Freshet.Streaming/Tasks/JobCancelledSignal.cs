namespace Freshet.Streaming.Tasks;

/// <summary>
/// Unwinds a task thread that was blocked (on a full or empty channel) when its job was cancelled or
/// failed elsewhere. Never escapes a task; never wrapped as a user error.
/// </summary>
internal sealed class JobCancelledSignal : Exception
{
    public JobCancelledSignal()
        : base("The job was cancelled.")
    {
    }

    public JobCancelledSignal(string message)
        : base(message)
    {
    }

    public JobCancelledSignal(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
