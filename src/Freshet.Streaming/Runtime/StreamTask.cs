using System.Diagnostics;

namespace Freshet.Streaming.Runtime;

/// <summary>
/// One task: one thread running one parallel instance of one chain. Owns the chain's operators, their
/// processing-time service and the exchange writers at the chain's end. <see cref="Run"/> is called on the task's
/// own thread; <see cref="Cancel"/> from any thread. Operators are touched only by the task thread.
/// </summary>
internal abstract class StreamTask
{
    private readonly IBufferedOutput[] _bufferedOutputs;
    private readonly long _bufferTimeoutTicks;
    private volatile bool _cancelled;

    protected StreamTask(string name, IReadOnlyList<OperatorBase> operators, ProcessingTimeService processingTime, TimeSpan bufferTimeout)
    {
        Name = name;
        Operators = operators;
        ProcessingTime = processingTime;
        BufferTimeout = bufferTimeout;
        _bufferTimeoutTicks = (long)(bufferTimeout.TotalSeconds * Stopwatch.Frequency);
        var buffered = new List<IBufferedOutput>();
        foreach (var op in operators)
        {
            if (op is IBufferedOutput output)
            {
                buffered.Add(output);
            }
        }

        _bufferedOutputs = buffered.ToArray();
    }

    /// <summary>The task's name, also its thread's name: "chain head (subtask i/p)".</summary>
    public string Name { get; }

    /// <summary>Every operator of the chain, including exchange writers, in creation order.</summary>
    public IReadOnlyList<OperatorBase> Operators { get; }

    /// <summary>The counters of the chain's source, for a source task; null otherwise.</summary>
    public OperatorMetricsCounter? SourceMetrics { get; init; }

    protected ProcessingTimeService ProcessingTime { get; }

    protected TimeSpan BufferTimeout { get; }

    protected bool IsCancelled => _cancelled;

    /// <summary>Opens the operators and runs the task to its end (end of input or cancellation).</summary>
    public void Run()
    {
        foreach (var op in Operators)
        {
            op.Open();
        }

        RunLoop();
    }

    /// <summary>Asks the task to stop; a thread blocked on a gate is woken by the job cancelling the gates.</summary>
    public void Cancel()
    {
        _cancelled = true;
        OnCancel();
    }

    /// <summary>Closes every operator; never throws.</summary>
    public void CloseOperators()
    {
        foreach (var op in Operators)
        {
            try
            {
                op.Close();
            }
#pragma warning disable CA1031 // Closing must continue past a failing operator: the task's first failure is already recorded.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    protected abstract void RunLoop();

    protected virtual void OnCancel()
    {
    }

    /// <summary>Between batches: fires due processing-time timers and sends batches that waited the buffer timeout.</summary>
    protected void Housekeeping()
    {
        ProcessingTime.FireDue();
        foreach (var output in _bufferedOutputs)
        {
            output.FlushIfOlderThan(_bufferTimeoutTicks);
        }
    }

    /// <summary>How long to wait for input before housekeeping is due again (ms, at least 1).</summary>
    protected int WaitMs()
    {
        var ms = (int)Math.Clamp(BufferTimeout.TotalMilliseconds, 1, 1000);
        return ProcessingTime.HasPending ? Math.Min(ms, 5) : ms;
    }
}
