using Freshet.Streaming.Jobs;
using Freshet.Streaming.Tasks;

namespace Freshet.Streaming.Operators;

/// <summary>
/// One operator subtask in a chain, seen without its input type: control-element handling, lifecycle and
/// metrics. The public entry points (<see cref="Watermark"/>, <see cref="Idle"/>, <see cref="Finish"/>) wrap an
/// exception thrown below them, once, at the innermost operator, in a <see cref="JobExecutionException"/> naming
/// that operator and subtask. Not thread-safe: called only by its task thread.
/// </summary>
internal abstract class OperatorBase
{
    protected OperatorBase(OperatorSetup setup)
    {
        Name = setup.Name;
        Uid = setup.Uid;
        Restored = setup.Restored;
        SubtaskIndex = setup.SubtaskIndex;
        Parallelism = setup.Parallelism;
        Metrics = new OperatorMetricsCounter(setup.Name, setup.SubtaskIndex, setup.Parallelism) { Uid = setup.Uid };
    }

    public string Name { get; }

    /// <summary>The stable id under which checkpoints store this operator's state.</summary>
    public string Uid { get; }

    /// <summary>The state to restore before <see cref="Open"/>, or null.</summary>
    public Checkpoints.RestoredOperatorState? Restored { get; }

    /// <summary>
    /// True for operators that keep nothing between records (map, filter, exchanges), which checkpoints can skip. An
    /// operator that is neither stateless nor an <see cref="ICheckpointedOperator"/> cannot run in a job with checkpoints.
    /// </summary>
    public virtual bool IsStateless => false;

    public int SubtaskIndex { get; }

    public int Parallelism { get; }

    public OperatorMetricsCounter Metrics { get; }

    /// <summary>Whether <see cref="Metrics"/> is reported (false for exchange writers and other plumbing).</summary>
    public virtual bool IsReported => true;

    /// <summary>Called once on the task thread before any element.</summary>
    public void Open()
    {
        try
        {
            OnOpen();
        }
        catch (Exception e) when (IsUserFailure(e))
        {
            throw Wrap(e);
        }
    }

    /// <summary>The watermark advanced to <paramref name="watermark"/> (event time, ms): fire what is due, then forward.</summary>
    public void Watermark(long watermark)
    {
        Metrics.Watermark = watermark;
        try
        {
            OnWatermark(watermark);
        }
        catch (Exception e) when (IsUserFailure(e))
        {
            throw Wrap(e);
        }
    }

    /// <summary>Every input of the task is idle: forward so that downstream leaves this path out of its minimum.</summary>
    public void Idle()
    {
        try
        {
            OnIdle();
        }
        catch (Exception e) when (IsUserFailure(e))
        {
            throw Wrap(e);
        }
    }

    /// <summary>End of input: flush what is buffered, then forward. Called after the final watermark.</summary>
    public void Finish()
    {
        try
        {
            OnFinish();
        }
        catch (Exception e) when (IsUserFailure(e))
        {
            throw Wrap(e);
        }
    }

    /// <summary>The synchronous phase of this operator's snapshot (an <see cref="ICheckpointedOperator"/>), failures wrapped as elsewhere.</summary>
    public Func<IReadOnlyList<(string Name, byte[] Bytes)>>? SnapshotStateWrapped(long checkpointId)
    {
        try
        {
            return ((ICheckpointedOperator)this).SnapshotState(checkpointId);
        }
        catch (Exception e) when (IsUserFailure(e))
        {
            throw Wrap(e);
        }
    }

    /// <summary>Tells this operator (an <see cref="ICheckpointListener"/>) that a checkpoint completed, failures wrapped as elsewhere.</summary>
    public void NotifyCheckpointCompleteWrapped(long checkpointId)
    {
        try
        {
            ((ICheckpointListener)this).NotifyCheckpointComplete(checkpointId);
        }
        catch (Exception e) when (IsUserFailure(e))
        {
            throw Wrap(e);
        }
    }

    /// <summary>Releases resources; called once on the task thread when the task ends, however it ends. Must not throw.</summary>
    public virtual void Close()
    {
    }

    protected virtual void OnOpen()
    {
    }

    protected abstract void OnWatermark(long watermark);

    protected abstract void OnIdle();

    protected abstract void OnFinish();

    /// <summary>True for an exception that user code (or this operator) threw and that no inner operator has wrapped yet.</summary>
    protected static bool IsUserFailure(Exception e) => e is not JobExecutionException and not JobCancelledSignal;

    protected JobExecutionException Wrap(Exception e) => new(Name, SubtaskIndex, Parallelism, e);
}
