using System.Diagnostics;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tasks;

/// <summary>
/// A task whose chain reads an <see cref="InputGate{T}"/>. Processes each batch's records, then its trailer:
/// the watermark, idleness and end of every channel go to a <see cref="WatermarkValve"/>, which passes the task's
/// watermark — the minimum over channels that are neither idle nor finished — into the chain when it advances, and
/// <c>Idle</c> when every unfinished channel is idle; the chain finishes when every channel has ended.
/// <para>
/// Checkpoint barriers go to a <see cref="BarrierAligner"/>: in exactly-once mode a channel that delivered the barrier
/// being aligned is not read (<see cref="InputGate{T}.TryTakeUnblocked"/>) until the barrier arrived on every channel;
/// then the chain is snapshotted and the barrier forwarded. A checkpoint whose alignment a newer barrier abandoned is
/// declined. Completion notices are handled between batches and once more before the chain finishes.
/// </para>
/// </summary>
internal sealed class InputTask<T> : StreamTask
{
    private readonly InputGate<T> _gate;
    private readonly Operator<T> _head;
    private readonly WatermarkValve _valve;
    private int _finishedChannels;
    private BarrierAligner? _aligner;
    private Func<int, bool>? _isBlocked;

    /// <summary>When the first barrier of the checkpoint being aligned arrived (Stopwatch timestamp; task thread only).</summary>
    private long _alignmentStarted;

    public InputTask(string name, InputGate<T> gate, Operator<T> head, IReadOnlyList<OperatorBase> operators, ProcessingTimeService processingTime, TimeSpan bufferTimeout)
        : base(name, operators, processingTime, bufferTimeout)
    {
        _gate = gate;
        _head = head;
        _valve = new WatermarkValve(gate.ChannelCount);
        processingTime.Mailbox.Wake = gate.Wake;
    }

    public override void AttachCounters(TaskMetricsCounter counters)
    {
        base.AttachCounters(counters);
        counters.RecordsInCounter = _head.Metrics;
        counters.WatermarkCounter = _head.Metrics;
        counters.InputQueueLength = _gate.QueuedBatches;
        _gate.ReceiverCounters = counters;
    }

    protected override void RunLoop()
    {
        if (Checkpointing is { } checkpointing)
        {
            _aligner = new BarrierAligner(_gate.ChannelCount, checkpointing.Mode);
            _isBlocked = _aligner.IsBlocked;
        }

        while (!IsCancelled)
        {
            var taken = _aligner is { AnyBlocked: true }
                ? _gate.TryTakeUnblocked(WaitMs(), _isBlocked, out var channel, out var batch)
                : _gate.TryTake(WaitMs(), out channel, out batch);
            if (taken)
            {
                if (batch!.Count > 0)
                {
                    _valve.MarkActive(channel);
                    _head.Process(batch);
                }

                var trailer = batch.Trailer;
                var trailerValue = batch.TrailerValue;
                _gate.Recycle(channel, batch);
                if (trailer != StreamElementKind.None && HandleTrailer(channel, trailer, trailerValue))
                {
                    return;
                }
            }

            Housekeeping();
        }
    }

    /// <returns>True when every channel has ended and the chain is finished.</returns>
    private bool HandleTrailer(int channel, StreamElementKind kind, long value)
    {
        switch (kind)
        {
            case StreamElementKind.Watermark:
                _valve.SetWatermark(channel, value);
                break;
            case StreamElementKind.Idle:
                _valve.MarkIdle(channel);
                break;
            case StreamElementKind.EndOfInput:
                _valve.MarkFinished(channel);
                _finishedChannels++;
                if (_aligner is not null)
                {
                    Apply(_aligner.OnChannelFinished(channel));
                }

                break;
            case StreamElementKind.Barrier:
                if (_aligner is null)
                {
                    throw new InvalidOperationException("A checkpoint barrier reached a task of a job without checkpoints.");
                }

                if (value > _aligner.AligningCheckpointId)
                {
                    // The first barrier of a newer checkpoint starts its alignment (once per checkpoint, not per record).
                    _alignmentStarted = Stopwatch.GetTimestamp();
                }

                Apply(_aligner.OnBarrier(channel, value));
                return false;
        }

        if (_finishedChannels == _valve.InputCount)
        {
            ProcessCheckpointNotifications();
            _valve.EmitFinal(_head);
            _head.Finish();
            return true;
        }

        _valve.Emit(_head);
        return false;
    }

    private void Apply(BarrierAlignment alignment)
    {
        if (alignment.AbandonedCheckpointId > 0)
        {
            Checkpointing!.Decline(alignment.AbandonedCheckpointId, "a newer checkpoint's barrier arrived before its alignment completed");
        }

        if (alignment.ShouldSnapshot)
        {
            TakeSnapshot(alignment.SnapshotCheckpointId, alignmentMs: (long)Stopwatch.GetElapsedTime(_alignmentStarted).TotalMilliseconds);
        }
    }
}
