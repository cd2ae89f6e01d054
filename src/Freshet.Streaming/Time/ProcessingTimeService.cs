namespace Freshet.Streaming.Time;

/// <summary>
/// Processing time for the operators of one task: reads the job's injected clock (Unix ms) and runs
/// processing-time callbacks on the task thread when the clock reaches them, so operators never see another
/// thread. Not thread-safe: used only by its task thread.
/// </summary>
internal sealed class ProcessingTimeService
{
    private readonly TimeProvider _clock;
    private readonly PriorityQueue<IProcessingTimeCallback, long> _due = new();

    public ProcessingTimeService(TimeProvider clock)
    {
        _clock = clock;
    }

    /// <summary>Current processing time in Unix ms.</summary>
    public long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    public bool HasPending => _due.Count > 0;

    /// <summary>
    /// The task's mailbox (work other threads hand to the task thread). It travels with this service because this is
    /// the one per-task object that every operator of the chain receives; the task drains it between batches.
    /// </summary>
    public Tasks.TaskMailbox Mailbox { get; } = new();

    /// <summary>Calls <paramref name="callback"/> once the clock reaches <paramref name="timeMs"/> (possibly later, never earlier).</summary>
    public void Schedule(long timeMs, IProcessingTimeCallback callback) => _due.Enqueue(callback, timeMs);

    /// <summary>Runs every callback due at the current time, in time order.</summary>
    public void FireDue()
    {
        if (_due.Count == 0)
        {
            return;
        }

        var now = Now;
        while (_due.TryPeek(out var callback, out var time) && time <= now)
        {
            _due.Dequeue();
            callback.OnProcessingTime(now);
        }
    }
}
