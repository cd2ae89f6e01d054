namespace Freshet.Streaming.Application.Membership;

/// <summary>
/// Wakes one waiting loop early (an auto-reset event for async code). The loop calls <see cref="Reset"/>, then checks
/// the flags it was woken for, then waits on <see cref="WaitAsync"/>: a <see cref="Set"/> that lands after the reset
/// completes the wait, one that landed before it set flags the loop sees, so no wake-up is lost.
/// Thread-safety: <see cref="Set"/> from any thread; <see cref="Reset"/> and <see cref="WaitAsync"/> from the one loop.
/// </summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes the current wait, or the next one if none is under way.</summary>
    public void Set() => Volatile.Read(ref _signal).TrySetResult();

    /// <summary>Re-arms the signal after it fired.</summary>
    public void Reset()
    {
        if (Volatile.Read(ref _signal).Task.IsCompleted)
        {
            Volatile.Write(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    /// <summary>A task that completes at the next <see cref="Set"/> (or is complete when one came since the last <see cref="Reset"/>).</summary>
    public Task WaitAsync() => Volatile.Read(ref _signal).Task;
}
