namespace Freshet.Streaming.Operators;

/// <summary>
/// An operator that sends records to other tasks (an exchange writer): it holds records back for batching and must
/// send them once they have waited the buffer timeout, and it carries checkpoint barriers to the receiving tasks.
/// </summary>
internal interface IBufferedOutput
{
    /// <summary>Sends what has waited at least <paramref name="timeoutTicks"/> (Stopwatch ticks).</summary>
    void FlushIfOlderThan(long timeoutTicks);

    /// <summary>Sends the barrier of checkpoint <paramref name="checkpointId"/> to every receiver, after the records already written.</summary>
    void EmitBarrier(long checkpointId);

    /// <summary>The counters of the task the output belongs to, told when sending waits for room (backpressure); set before the task starts.</summary>
    Tasks.TaskMetricsCounter? TaskCounters { set; }
}
