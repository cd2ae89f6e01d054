namespace Freshet.Streaming.Tasks;

/// <summary>A request queued in a <see cref="TaskMailbox"/>: run on the task thread, or failed when the task is gone.</summary>
internal interface ITaskMailboxRequest
{
    /// <summary>Runs on the task thread at a safe point; must not throw (failures go to the request's own result).</summary>
    void Run();

    /// <summary>The task ended before running the request; called on any thread, must not throw.</summary>
    void Fail(Exception reason);
}
