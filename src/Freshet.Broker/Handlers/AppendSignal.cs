namespace Freshet.Broker.Handlers;

/// <summary>
/// Wakes Fetch long polls when records are appended. One broker-wide signal: the Produce handler calls
/// <see cref="Notify"/> after every append that stored records; a waiting fetch takes
/// <see cref="Current"/> <em>before</em> it reads the log and awaits it only if the read found too
/// little, so an append that lands between the read and the wait still wakes it (no lost wake-ups).
/// A woken fetch reads again; appends to partitions it does not follow wake it spuriously, which costs
/// one read. Thread-safety: all members are lock-free and safe from any thread.
/// </summary>
internal sealed class AppendSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>A task that completes at the next <see cref="Notify"/>.</summary>
    public Task Current => Volatile.Read(ref _next).Task;

    /// <summary>Completes the current task and arms a new one.</summary>
    public void Notify()
    {
        // Continuations run asynchronously, so the producing connection never runs fetch code inline.
        Interlocked.Exchange(ref _next, NewSource()).TrySetResult();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
