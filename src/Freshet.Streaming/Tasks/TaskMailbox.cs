using System.Collections.Concurrent;

namespace Freshet.Streaming.Tasks;

/// <summary>
/// Work that other threads hand to a task, run on the task thread at a safe point: between two batches, where no
/// record is half processed and no operator holds a key (Flink's mailbox). Interactive queries use it to read keyed
/// state that only the task thread may touch.
/// <para>
/// Cost to the task: <see cref="RunPending"/> reads one volatile counter per batch when nothing is queued; the
/// per-record path is untouched. An idle task is woken through <see cref="Wake"/> (its input gate stops waiting), so a
/// request waits at most for the batch in progress, not for the task's input timeout.
/// </para>
/// <para>
/// Lifecycle: <see cref="Close"/> (when the task's operators have closed) fails every queued request and every later
/// <see cref="Post"/> with <see cref="TaskMailboxClosedException"/>, so no caller waits for a task that is gone.
/// </para>
/// Thread-safety: <see cref="Post"/> and <see cref="Close"/> from any thread; <see cref="RunPending"/> on the task thread.
/// </summary>
internal sealed class TaskMailbox
{
    private readonly ConcurrentQueue<ITaskMailboxRequest> _pending = new();
    private int _count;
    private volatile bool _closed;
    private volatile int _taskThreadId = -1;

    /// <summary>Wakes the task when it waits for input (set by the task before it runs); null when it never waits long.</summary>
    public Action? Wake { get; set; }

    /// <summary>Whether the calling thread is the task thread (a request from it would wait for itself).</summary>
    public bool IsTaskThread => Environment.CurrentManagedThreadId == _taskThreadId;

    /// <summary>Queues <paramref name="request"/> to run on the task thread.</summary>
    /// <exception cref="TaskMailboxClosedException">The task has ended.</exception>
    public void Post(ITaskMailboxRequest request)
    {
        if (_closed)
        {
            throw new TaskMailboxClosedException();
        }

        _pending.Enqueue(request);
        Interlocked.Increment(ref _count);

        // Close may have drained the queue just before the enqueue: drain again so the request is failed, not stranded.
        if (_closed)
        {
            FailPending();
        }

        Wake?.Invoke();
    }

    /// <summary>Marks the calling thread as the task thread (once, before the task's loop).</summary>
    public void BindToCurrentThread() => _taskThreadId = Environment.CurrentManagedThreadId;

    /// <summary>Runs the requests queued so far, on the task thread.</summary>
    public void RunPending()
    {
        if (Volatile.Read(ref _count) == 0)
        {
            return;
        }

        while (_pending.TryDequeue(out var request))
        {
            Interlocked.Decrement(ref _count);
            request.Run();
        }
    }

    /// <summary>Fails what is queued and every later request; idempotent.</summary>
    public void Close()
    {
        _closed = true;
        FailPending();
    }

    private void FailPending()
    {
        while (_pending.TryDequeue(out var request))
        {
            Interlocked.Decrement(ref _count);
            request.Fail(new TaskMailboxClosedException());
        }
    }
}
