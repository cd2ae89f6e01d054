using System.Diagnostics;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tasks;

/// <summary>
/// One task: one thread running one parallel instance of one chain. Owns the chain's operators, their
/// processing-time service and the exchange writers at the chain's end. <see cref="Run"/> is called on the task's
/// own thread; <see cref="Cancel"/> from any thread. Operators are touched only by the task thread.
/// <para>
/// Checkpoints (when <see cref="Checkpointing"/> is set): restored state is handed to the operators before they open;
/// <see cref="TakeSnapshot"/> snapshots every stateful operator of the chain, sends the barrier on through the chain's
/// exchange writers and leaves serialization and the write to the thread pool; completion notices are handled
/// between batches (<see cref="Housekeeping"/>).
/// </para>
/// </summary>
internal abstract class StreamTask
{
    private readonly IBufferedOutput[] _bufferedOutputs;
    private readonly OperatorBase[] _checkpointed;
    private readonly ICheckpointListener[] _listeners;
    private readonly long _bufferTimeoutTicks;
    private volatile bool _cancelled;

    /// <summary>The newest checkpoint this task snapshotted, and the newest it heard completed (task thread only).</summary>
    private long _lastSnapshot;
    private long _lastCompletedCheckpoint;

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
        _checkpointed = operators.Where(static op => op is ICheckpointedOperator).ToArray();
        _listeners = operators.OfType<ICheckpointListener>().ToArray();
    }

    /// <summary>The task's link to the checkpoint coordinator; null when the job takes no checkpoints. Set before <see cref="Run"/>.</summary>
    public TaskCheckpointing? Checkpointing { get; set; }

    /// <summary>Operators that neither are stateless nor support checkpoints (a job with checkpoints cannot run them).</summary>
    public IEnumerable<OperatorBase> OperatorsWithoutCheckpoints => Operators.Where(static op => !op.IsStateless && op is not ICheckpointedOperator);

    /// <summary>The task's name, also its thread's name: "chain head (subtask i/p)".</summary>
    public string Name { get; }

    /// <summary>Every operator of the chain, including exchange writers, in creation order.</summary>
    public IReadOnlyList<OperatorBase> Operators { get; }

    /// <summary>The task's own counters (records in and out, watermark, busy, idle and backpressured time); null until <see cref="AttachCounters"/>.</summary>
    public TaskMetricsCounter? Counters { get; private set; }

    /// <summary>
    /// Gives the task its counters before it starts; the chain's exchange writers report backpressure to them, and an
    /// input task's gate reports idleness.
    /// </summary>
    public virtual void AttachCounters(TaskMetricsCounter counters)
    {
        Counters = counters;
        counters.OutputCounters = Operators.Where(static op => op is IBufferedOutput).Select(static op => op.Metrics).ToArray();
        foreach (var output in _bufferedOutputs)
        {
            output.TaskCounters = counters;
        }
    }

    /// <summary>The counters of the chain's source, for a source task; null otherwise.</summary>
    public OperatorMetricsCounter? SourceMetrics { get; init; }

    protected ProcessingTimeService ProcessingTime { get; }

    /// <summary>
    /// Whether the task does nothing that writes between taking a checkpoint's snapshot and hearing that the checkpoint
    /// completed: a source reads no records, and no processing-time timer fires (set before the task starts).
    /// Application mode needs it: a task's checkpoint commits one Kafka transaction holding everything the task wrote
    /// before its snapshot, so output computed after the snapshot — whose state change belongs to the next checkpoint —
    /// must wait for the commit, or a restore from the snapshot would compute and write it a second time.
    /// </summary>
    public bool HoldsUntilCheckpointComplete { get; set; }

    /// <summary>Whether <see cref="HoldsUntilCheckpointComplete"/> applies now: a snapshot was taken whose checkpoint has not completed (task thread only).</summary>
    protected bool IsHeldUntilCheckpointComplete => HoldsUntilCheckpointComplete && _lastCompletedCheckpoint < _lastSnapshot;

    protected TimeSpan BufferTimeout { get; }

    protected bool IsCancelled => _cancelled;

    /// <summary>Opens the operators and runs the task to its end (end of input or cancellation).</summary>
    public void Run()
    {
        foreach (var op in _checkpointed)
        {
            if (op.Restored is { } restored)
            {
                try
                {
                    ((ICheckpointedOperator)op).RestoreState(restored);
                }
                catch (Exception e) when (e is not Jobs.JobExecutionException)
                {
                    throw new Jobs.JobExecutionException(op.Name, op.SubtaskIndex, op.Parallelism, new InvalidDataException($"Restoring the state of '{op.Name}' (uid '{op.Uid}') from checkpoint {restored.CheckpointId} failed: {e.Message}", e));
                }
            }
        }

        foreach (var op in Operators)
        {
            op.Open();
        }

        ProcessingTime.Mailbox.BindToCurrentThread();
        Counters?.Started();
        try
        {
            RunLoop();
        }
        finally
        {
            Counters?.Ended();
        }
    }

    /// <summary>Asks the task to stop; a thread blocked on a gate is woken by the job cancelling the gates.</summary>
    public void Cancel()
    {
        _cancelled = true;
        OnCancel();
    }

    /// <summary>Closes every operator, then the task's mailbox (requests still queued fail); never throws.</summary>
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

        ProcessingTime.Mailbox.Close();
    }

    protected abstract void RunLoop();

    protected virtual void OnCancel()
    {
    }

    /// <summary>
    /// Checkpoint <paramref name="checkpointId"/> reached this task on every input (or, for a source task, is due):
    /// snapshots the chain's stateful operators (and <paramref name="sourcePosition"/>), forwards the barrier, then
    /// writes asynchronously.
    /// </summary>
    /// <param name="alignmentMs">How long the task waited from the checkpoint's first to its last input barrier (0 for a source task).</param>
    protected void TakeSnapshot(long checkpointId, (string Uid, int Subtask, byte[] Position)? sourcePosition = null, long alignmentMs = 0)
    {
        var checkpointing = Checkpointing!;
        var started = Stopwatch.GetTimestamp();
        var snapshots = new List<(string Uid, int Subtask, Func<IReadOnlyList<(string Name, byte[] Bytes)>>? Serialize)>(_checkpointed.Length + 1);
        if (sourcePosition is { } source)
        {
            snapshots.Add((source.Uid, source.Subtask, () => [(SourcePositionSection, source.Position)]));
        }

        foreach (var op in _checkpointed)
        {
            snapshots.Add((op.Uid, op.SubtaskIndex, op.SnapshotStateWrapped(checkpointId)));
        }

        foreach (var output in _bufferedOutputs)
        {
            output.EmitBarrier(checkpointId);
        }

        checkpointing.WriteAsync(checkpointId, snapshots, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, alignmentMs);
        _lastSnapshot = Math.Max(_lastSnapshot, checkpointId);
    }

    /// <summary>The section of a source's state file that holds its reader's position.</summary>
    internal const string SourcePositionSection = "position";

    /// <summary>Handles the completion notices queued so far (transactional sinks commit).</summary>
    protected void ProcessCheckpointNotifications()
    {
        if (Checkpointing is not { } checkpointing)
        {
            return;
        }

        while (checkpointing.TryTakeCompleted(out var checkpointId))
        {
            foreach (var listener in _listeners)
            {
                ((OperatorBase)listener).NotifyCheckpointCompleteWrapped(checkpointId);
            }

            _lastCompletedCheckpoint = Math.Max(_lastCompletedCheckpoint, checkpointId);
            OnCheckpointComplete(checkpointId);
            checkpointing.NotificationProcessed(checkpointId);
        }
    }

    /// <summary>Called on the task thread after the operators heard that <paramref name="checkpointId"/> completed.</summary>
    protected virtual void OnCheckpointComplete(long checkpointId)
    {
    }

    /// <summary>
    /// Between batches: runs the mailbox's requests, fires due processing-time timers (unless held, see
    /// <see cref="HoldsUntilCheckpointComplete"/>), handles checkpoint notices and sends batches that waited the buffer timeout.
    /// </summary>
    protected void Housekeeping()
    {
        ProcessingTime.Mailbox.RunPending();
        if (!IsHeldUntilCheckpointComplete)
        {
            ProcessingTime.FireDue();
        }

        ProcessCheckpointNotifications();
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
