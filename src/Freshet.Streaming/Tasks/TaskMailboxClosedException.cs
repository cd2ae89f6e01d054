namespace Freshet.Streaming.Tasks;

/// <summary>A request reached a <see cref="TaskMailbox"/> whose task has ended (finished, failed or cancelled).</summary>
internal sealed class TaskMailboxClosedException : InvalidOperationException
{
    public TaskMailboxClosedException()
        : base("The task has ended.")
    {
    }
}
