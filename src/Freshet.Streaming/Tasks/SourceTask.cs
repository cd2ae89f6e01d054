using System.Collections.Concurrent;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Sources;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tasks;

/// <summary>What the job run asks of a source task, whatever its record type. Thread-safe.</summary>
internal interface ISourceTaskControl
{
    /// <summary>Whether the task's reader can be checkpointed.</summary>
    bool SupportsPositions { get; }

    /// <summary>Asks the task to inject the barrier of <paramref name="checkpointId"/> before its next poll; with <paramref name="stopAfter"/> it then stops reading (stop-with-savepoint).</summary>
    void RequestBarrier(long checkpointId, bool stopAfter);

    /// <summary>Lets a task that reached its end finish (the final checkpoint completed).</summary>
    void AllowFinish();

    /// <summary>Resumes reading after a stop-with-savepoint whose savepoint failed.</summary>
    void ResumeAfterFailedStop();
}

/// <summary>The non-generic part of a source task, so the job run can wire it without knowing its record type.</summary>
internal abstract class SourceTask : StreamTask
{
    protected SourceTask(string name, IReadOnlyList<OperatorBase> operators, ProcessingTimeService processingTime, TimeSpan bufferTimeout)
        : base(name, operators, processingTime, bufferTimeout)
    {
    }

    /// <summary>Called once on the task thread when the reader reached its end (with checkpoints only).</summary>
    public Action? ReachedEnd { get; set; }
}

/// <summary>
/// A task whose chain starts at a source: polls the reader in batches, emits watermarks after each poll, and on
/// end of input emits the final watermark and finishes the chain. When the reader has nothing, the task sleeps
/// briefly (1 ms) so an unbounded, quiet source costs little CPU.
/// <para>
/// With checkpoints: between two polls it injects requested barriers (the reader's position and the chain's state are
/// snapshotted, then the barrier goes out behind the records already emitted). At end of input it emits the final
/// watermark but does not finish until the job run allows it — after a checkpoint taken once every source reached its
/// end completed — so exactly-once sinks commit everything before the job ends. A restored position is applied before
/// the reader opens. With <see cref="StreamTask.HoldsUntilCheckpointComplete"/> it reads nothing between a barrier and
/// that checkpoint's completion.
/// </para>
/// </summary>
internal sealed class SourceTask<T> : SourceTask, ISourceTaskControl
{
    private readonly SourceReader<T> _reader;
    private readonly Operator<T> _head;
    private readonly OperatorMetricsCounter _metrics;
    private readonly WatermarkStrategy<T> _strategy;
    private readonly int _batchSize;
    private readonly string _sourceName;
    private readonly int _subtask;
    private readonly int _parallelism;
    private readonly ConcurrentQueue<(long CheckpointId, bool StopAfter)> _barrierRequests = new();

    /// <summary>Positions snapshotted for checkpoints not yet known to be complete, oldest first (task thread only).</summary>
    private readonly Queue<(long CheckpointId, byte[] Position)> _uncommittedPositions = new();
    private volatile bool _finishAllowed;
    private volatile bool _stopped;

    public SourceTask(
        string name,
        SourceReader<T> reader,
        Operator<T> head,
        OperatorMetricsCounter sourceMetrics,
        WatermarkStrategy<T> strategy,
        int batchSize,
        IReadOnlyList<OperatorBase> operators,
        ProcessingTimeService processingTime,
        TimeSpan bufferTimeout)
        : base(name, operators, processingTime, bufferTimeout)
    {
        _reader = reader;
        _head = head;
        _metrics = sourceMetrics;
        _strategy = strategy;
        _batchSize = batchSize;
        _sourceName = sourceMetrics.OperatorName;
        _subtask = sourceMetrics.Subtask;
        _parallelism = sourceMetrics.Parallelism;
    }

    /// <summary>The source's uid in checkpoints.</summary>
    public string SourceUid { get; init; } = "";

    /// <summary>The positions a checkpoint holds for this source, or null.</summary>
    public RestoredOperatorState? RestoredPositions { get; init; }


    public bool SupportsPositions => _reader.SupportsPositions;

    public override void AttachCounters(TaskMetricsCounter counters)
    {
        base.AttachCounters(counters);
        counters.WatermarkCounter = _metrics;
    }

    public void RequestBarrier(long checkpointId, bool stopAfter) => _barrierRequests.Enqueue((checkpointId, stopAfter));

    public void AllowFinish() => _finishAllowed = true;

    public void ResumeAfterFailedStop() => _stopped = false;

    protected override void RunLoop()
    {
        try
        {
            SourceOutput<T> output;
            try
            {
                RestorePositions();
                _reader.Open();

                // Reads the reader's split count, which only an opened reader knows.
                output = new SourceOutput<T>(_head, _batchSize, _metrics, _strategy, _reader, ProcessingTime.Now);
            }
            catch (Exception e) when (e is not JobExecutionException and not JobCancelledSignal)
            {
                throw ReaderFailure(e);
            }

            var atEnd = false;
            while (!IsCancelled)
            {
                InjectRequestedBarriers();
                if (atEnd || _stopped || IsHeldUntilCheckpointComplete)
                {
                    Housekeeping();
                    if (atEnd && _finishAllowed)
                    {
                        _head.Finish();
                        return;
                    }

                    SleepIdle();
                    continue;
                }

                SourcePoll poll;
                try
                {
                    poll = _reader.Poll(output, _batchSize);
                }
                catch (Exception e) when (e is not JobExecutionException and not JobCancelledSignal)
                {
                    // Exceptions from the chain are already named; this one came from the reader itself.
                    throw ReaderFailure(e);
                }

                try
                {
                    output.EndPoll(ProcessingTime.Now);
                }
                catch (Exception e) when (e is not JobExecutionException and not JobCancelledSignal)
                {
                    // The chain names its own failures; this one is the reader's (its split count shrank).
                    throw ReaderFailure(e);
                }

                _metrics.Watermark = output.Watermark;
                if (poll == SourcePoll.EndOfInput)
                {
                    output.EmitFinalWatermark();
                    _metrics.Watermark = long.MaxValue;
                    if (Checkpointing is null)
                    {
                        _head.Finish();
                        return;
                    }

                    atEnd = true;
                    ReachedEnd?.Invoke();
                    continue;
                }

                Housekeeping();
                if (poll == SourcePoll.NothingAvailable)
                {
                    SleepIdle();
                }
            }
        }
        finally
        {
            _reader.Dispose();
        }
    }


    /// <summary>Nothing to read (or finished, or held until a checkpoint completes): the thread waits briefly, counted as idle.</summary>
    private void SleepIdle()
    {
        Counters?.BeginIdle();
        Thread.Sleep(1);
        Counters?.EndWait();
    }

    private void InjectRequestedBarriers()
    {
        while (_barrierRequests.TryDequeue(out var request))
        {
            byte[] position;
            try
            {
                position = _reader.SnapshotPosition();
            }
            catch (Exception e) when (e is not JobExecutionException and not JobCancelledSignal)
            {
                throw ReaderFailure(e);
            }

            TakeSnapshot(request.CheckpointId, (SourceUid, _subtask, position));
            _uncommittedPositions.Enqueue((request.CheckpointId, position));
            if (request.StopAfter)
            {
                _stopped = true;
            }
        }
    }

    /// <summary>Hands the reader the position of the newest completed checkpoint (older ones are superseded).</summary>
    protected override void OnCheckpointComplete(long checkpointId)
    {
        (long CheckpointId, byte[] Position)? completed = null;
        while (_uncommittedPositions.TryPeek(out var pending) && pending.CheckpointId <= checkpointId)
        {
            completed = _uncommittedPositions.Dequeue();
        }

        if (completed is not { } newest)
        {
            return;
        }

        try
        {
            _reader.NotifyCheckpointComplete(newest.CheckpointId, newest.Position);
        }
        catch (Exception e) when (e is not JobExecutionException and not JobCancelledSignal)
        {
            throw ReaderFailure(e);
        }
    }

    private void RestorePositions()
    {
        if (RestoredPositions is not { } restored)
        {
            return;
        }

        if (restored.OldParallelism == _parallelism)
        {
            if (restored.Subtasks[_subtask] is { } own && own.TryGetValue(SourcePositionSection, out var position))
            {
                _reader.RestorePosition(position);
            }

            return;
        }

        if (!_reader.PositionsApplyAcrossParallelism)
        {
            throw new InvalidOperationException($"This source was checkpointed at parallelism {restored.OldParallelism} and cannot be restored at parallelism {_parallelism}; restore it at {restored.OldParallelism}.");
        }

        foreach (var position in restored.Section(SourcePositionSection))
        {
            _reader.RestorePosition(position);
        }
    }

    private JobExecutionException ReaderFailure(Exception e) => new(_sourceName, _subtask, _parallelism, e);
}
