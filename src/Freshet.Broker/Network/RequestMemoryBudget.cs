namespace Freshet.Broker.Network;

/// <summary>
/// The bytes of requests read but not yet handled, across all connections (Kafka's
/// <c>queued.max.request.bytes</c> memory pool). A connection takes a frame's size from the budget as soon as
/// it has read the frame's size prefix, before it buffers the payload, and gives it back once the request
/// has been handled.
/// <para>
/// Rules, as Kafka's non-strict pool: a frame is admitted whenever any of the budget is free, even if the
/// frame is larger than what is free (the budget may be overdrawn by at most one frame, and one frame is never
/// larger than the budget, which <see cref="BrokerOptions.Validate"/> ensures); when nothing is free the
/// connection waits, in arrival order, without failing. Its client sees a slower answer, as with Kafka's muted
/// channels. A budget of zero or less is unbounded.
/// </para>
/// Thread-safety: every member may be called from any thread; waiters are released under one lock.
/// </summary>
internal sealed class RequestMemoryBudget
{
    private readonly object _lock = new();
    private readonly Queue<Waiter> _waiters = new();
    private long _available;

    /// <summary>Creates a budget of <paramref name="bytes"/>; zero or less means unbounded.</summary>
    public RequestMemoryBudget(long bytes)
    {
        Capacity = bytes;
        _available = bytes;
    }

    /// <summary>The budget in bytes; zero or less means unbounded.</summary>
    public long Capacity { get; }

    /// <summary>Bytes currently taken by requests read and not yet handled.</summary>
    public long InUse
    {
        get
        {
            lock (_lock)
            {
                return Capacity - _available;
            }
        }
    }

    /// <summary>Connections waiting for budget.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>
    /// Takes <paramref name="bytes"/> from the budget, waiting while none of it is free. The caller must
    /// <see cref="Release"/> the same amount once the request has been handled (or the connection closes).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting; nothing was taken.</exception>
    public ValueTask AcquireAsync(int bytes, CancellationToken cancellationToken)
    {
        if (Capacity <= 0 || bytes == 0)
        {
            return ValueTask.CompletedTask;
        }

        Waiter waiter;
        lock (_lock)
        {
            if (_available > 0 && _waiters.Count == 0)
            {
                _available -= bytes;
                return ValueTask.CompletedTask;
            }

            waiter = new Waiter(bytes);
            _waiters.Enqueue(waiter);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>Gives back bytes taken by <see cref="AcquireAsync"/> and admits waiting frames while any budget is free.</summary>
    public void Release(int bytes)
    {
        if (Capacity <= 0 || bytes == 0)
        {
            return;
        }

        lock (_lock)
        {
            _available += bytes;
            AdmitWaitersLocked();
        }
    }

    private void AdmitWaitersLocked()
    {
        while (_available > 0 && _waiters.TryDequeue(out var next))
        {
            // A waiter that gave up (cancelled) cannot be completed any more and is skipped.
            if (next.Granted.TrySetResult())
            {
                _available -= next.Bytes;
            }
        }
    }

    private async ValueTask WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        try
        {
            await waiter.Granted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                // Granted in the meantime: hand the bytes back so nothing leaks. Otherwise the admit loop skips
                // this waiter when it reaches it, because the cancelled task can no longer be completed.
                if (!waiter.Granted.TrySetCanceled(cancellationToken))
                {
                    _available += waiter.Bytes;
                    AdmitWaitersLocked();
                }
            }

            throw;
        }
    }

    private sealed class Waiter(int bytes)
    {
        public int Bytes { get; } = bytes;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
