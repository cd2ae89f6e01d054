using Freshet.Streaming.Tasks;

namespace Freshet.Streaming.Exchange;

/// <summary>
/// The input of one subtask fed by an exchange: one bounded FIFO channel of <see cref="StreamBatch{T}"/> per
/// upstream subtask. A sender that finds its channel full blocks in <see cref="Put"/> until the receiver takes a
/// batch: that is backpressure, and it bounds what a gate holds to <c>channels × capacity</c> batches.
/// Batches taken by the receiver come back to their sender through <see cref="Recycle"/> and
/// <see cref="Rent"/>, so the steady state allocates nothing.
/// <para>
/// Order: batches of one channel are taken in the order they were put (records, watermarks and end of input stay
/// in order). Across channels the receiver takes round robin, so one fast sender cannot starve the others.
/// During barrier alignment the receiver skips blocked channels (<see cref="TryTakeUnblocked"/>).
/// </para>
/// Waits are told to the tasks' counters (<see cref="TaskMetricsCounter"/>): the receiver waiting for a batch is idle,
/// a sender waiting for room is backpressured; each wait is counted once, on the path that blocks anyway.
/// Thread-safety: one receiver thread and any number of sender threads (one per channel). One lock guards the
/// gate and is taken once per batch, never per record.
/// </summary>
internal sealed class InputGate<T> : IInputGate
{
    private readonly object _lock = new();
    private readonly Queue<StreamBatch<T>>[] _queues;
    private readonly Stack<StreamBatch<T>>[] _free;
    private readonly int _capacity;
    private readonly int _batchSize;
    private int _nextChannel;
    private bool _cancelled;

    /// <summary>Set by <see cref="Wake"/>: the receiver returns from its wait once with nothing taken (under <c>_lock</c>).</summary>
    private bool _wakeRequested;

    public InputGate(int channels, int capacity, int batchSize)
    {
        _queues = new Queue<StreamBatch<T>>[channels];
        _free = new Stack<StreamBatch<T>>[channels];
        for (var i = 0; i < channels; i++)
        {
            _queues[i] = new Queue<StreamBatch<T>>(capacity);
            _free[i] = new Stack<StreamBatch<T>>(capacity + 1);
        }

        _capacity = capacity;
        _batchSize = batchSize;
    }

    /// <summary>Number of channels (= parallelism of the sending operator).</summary>
    public int ChannelCount => _queues.Length;

    /// <summary>Maximum batches queued per channel.</summary>
    public int Capacity => _capacity;

    /// <summary>The largest number of batches ever queued on one channel (for backpressure tests).</summary>
    public int MaxQueuedObserved { get; private set; }

    /// <summary>An empty batch for <paramref name="channel"/>: a recycled one when available.</summary>
    public StreamBatch<T> Rent(int channel)
    {
        lock (_lock)
        {
            if (_free[channel].TryPop(out var batch))
            {
                return batch;
            }
        }

        return new StreamBatch<T>(_batchSize);
    }

    /// <summary>The receiving task's counters, told when the receiver waits for input (idle); set before the task starts.</summary>
    public TaskMetricsCounter? ReceiverCounters { get; set; }

    /// <summary>Batches queued now over every channel (any thread; takes the gate's lock).</summary>
    public int QueuedBatches()
    {
        lock (_lock)
        {
            var queued = 0;
            foreach (var queue in _queues)
            {
                queued += queue.Count;
            }

            return queued;
        }
    }

    /// <summary>Queues <paramref name="batch"/> on <paramref name="channel"/>, blocking while the channel is full.</summary>
    /// <param name="sender">The sending task's counters, told how long the send waited for room (backpressure); null tells nobody.</param>
    /// <exception cref="JobCancelledSignal">The gate was cancelled while waiting.</exception>
    public void Put(int channel, StreamBatch<T> batch, TaskMetricsCounter? sender = null)
    {
        lock (_lock)
        {
            var queue = _queues[channel];
            if (queue.Count >= _capacity && !_cancelled)
            {
                sender?.BeginBackpressure();
                try
                {
                    while (queue.Count >= _capacity && !_cancelled)
                    {
                        Monitor.Wait(_lock);
                    }
                }
                finally
                {
                    sender?.EndWait();
                }
            }

            if (_cancelled)
            {
                throw new JobCancelledSignal();
            }

            queue.Enqueue(batch);
            if (queue.Count > MaxQueuedObserved)
            {
                MaxQueuedObserved = queue.Count;
            }

            // Senders and the receiver wait on the same monitor: wake all, each rechecks its own condition.
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>
    /// Takes the next batch of any channel, waiting up to <paramref name="timeoutMs"/> for one.
    /// </summary>
    /// <returns>False when the wait timed out.</returns>
    /// <exception cref="JobCancelledSignal">The gate was cancelled.</exception>
    public bool TryTake(int timeoutMs, out int channel, out StreamBatch<T>? batch) => TryTakeUnblocked(timeoutMs, null, out channel, out batch);

    /// <summary>
    /// Takes the next batch of a channel that <paramref name="isBlocked"/> does not name (barrier alignment: a channel
    /// that delivered the barrier being aligned is not read until every channel did), waiting up to
    /// <paramref name="timeoutMs"/>. Batches of blocked channels stay queued in order; their senders block once the
    /// channel is full. <paramref name="isBlocked"/> is called under the gate's lock on the receiver thread, so it must
    /// be cheap and must not touch the gate; pass a cached delegate (null = nothing blocked).
    /// </summary>
    /// <returns>False when the wait timed out.</returns>
    /// <exception cref="JobCancelledSignal">The gate was cancelled.</exception>
    public bool TryTakeUnblocked(int timeoutMs, Func<int, bool>? isBlocked, out int channel, out StreamBatch<T>? batch)
    {
        lock (_lock)
        {
            while (true)
            {
                if (_cancelled)
                {
                    throw new JobCancelledSignal();
                }

                var n = _queues.Length;
                for (var i = 0; i < n; i++)
                {
                    var c = (_nextChannel + i) % n;
                    if ((isBlocked is null || !isBlocked(c)) && _queues[c].TryDequeue(out batch))
                    {
                        _nextChannel = (c + 1) % n;
                        channel = c;
                        Monitor.PulseAll(_lock);
                        return true;
                    }
                }

                if (_wakeRequested)
                {
                    _wakeRequested = false;
                    channel = -1;
                    batch = null;
                    return false;
                }

                ReceiverCounters?.BeginIdle();
                bool woken;
                try
                {
                    woken = Monitor.Wait(_lock, timeoutMs);
                }
                finally
                {
                    ReceiverCounters?.EndWait();
                }

                if (!woken)
                {
                    channel = -1;
                    batch = null;
                    return false;
                }
            }
        }
    }

    /// <summary>Returns a batch taken from <paramref name="channel"/> to its sender for reuse.</summary>
    public void Recycle(int channel, StreamBatch<T> batch)
    {
        batch.Reset();
        lock (_lock)
        {
            if (_free[channel].Count <= _capacity)
            {
                _free[channel].Push(batch);
            }
        }
    }

    /// <summary>
    /// Makes the receiver's current or next wait for input return at once with nothing taken, so that it does its
    /// housekeeping (the task's mailbox) now; any thread.
    /// </summary>
    public void Wake()
    {
        lock (_lock)
        {
            _wakeRequested = true;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Wakes every waiting thread with <see cref="JobCancelledSignal"/>; idempotent.</summary>
    public void Cancel()
    {
        lock (_lock)
        {
            _cancelled = true;
            Monitor.PulseAll(_lock);
        }
    }
}
