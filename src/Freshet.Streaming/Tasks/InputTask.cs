using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Tasks;

/// <summary>
/// A task whose chain reads an <see cref="InputGate{T}"/>. Processes each batch's records, then its trailer:
/// tracks the watermark of every channel and passes the task's watermark — the minimum over channels that are
/// neither idle nor finished — into the chain when it advances; forwards <c>Idle</c> when every unfinished
/// channel is idle; finishes the chain when every channel has ended.
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
    private readonly long[] _channelWatermark;
    private readonly bool[] _channelIdle;
    private readonly bool[] _channelFinished;
    private int _finishedChannels;
    private long _watermark = long.MinValue;
    private bool _idleSent;
    private BarrierAligner? _aligner;
    private Func<int, bool>? _isBlocked;

    public InputTask(string name, InputGate<T> gate, Operator<T> head, IReadOnlyList<OperatorBase> operators, ProcessingTimeService processingTime, TimeSpan bufferTimeout)
        : base(name, operators, processingTime, bufferTimeout)
    {
        _gate = gate;
        _head = head;
        _channelWatermark = new long[gate.ChannelCount];
        _channelIdle = new bool[gate.ChannelCount];
        _channelFinished = new bool[gate.ChannelCount];
        Array.Fill(_channelWatermark, long.MinValue);
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
                    if (_channelIdle[channel])
                    {
                        _channelIdle[channel] = false;
                        _idleSent = false;
                    }

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
                _channelWatermark[channel] = value;
                _channelIdle[channel] = false;
                break;
            case StreamElementKind.Idle:
                _channelIdle[channel] = true;
                break;
            case StreamElementKind.EndOfInput:
                _channelFinished[channel] = true;
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

                Apply(_aligner.OnBarrier(channel, value));
                return false;
        }

        if (_finishedChannels == _channelFinished.Length)
        {
            ProcessCheckpointNotifications();
            if (_watermark < long.MaxValue)
            {
                _watermark = long.MaxValue;
                _head.Watermark(long.MaxValue);
            }

            _head.Finish();
            return true;
        }

        UpdateWatermark();
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
            TakeSnapshot(alignment.SnapshotCheckpointId);
        }
    }

    private void UpdateWatermark()
    {
        var min = long.MaxValue;
        var anyActive = false;
        for (var c = 0; c < _channelWatermark.Length; c++)
        {
            if (!_channelFinished[c] && !_channelIdle[c])
            {
                anyActive = true;
                if (_channelWatermark[c] < min)
                {
                    min = _channelWatermark[c];
                }
            }
        }

        if (!anyActive)
        {
            if (!_idleSent)
            {
                // As Flink's StatusWatermarkValve: once no channel can advance, flush the largest watermark any
                // unfinished channel reached, so a channel that went idle after the others does not strand it.
                var max = long.MinValue;
                for (var c = 0; c < _channelWatermark.Length; c++)
                {
                    if (!_channelFinished[c] && _channelWatermark[c] > max)
                    {
                        max = _channelWatermark[c];
                    }
                }

                if (max > _watermark)
                {
                    _watermark = max;
                    _head.Watermark(max);
                }

                _idleSent = true;
                _head.Idle();
            }

            return;
        }

        if (min > _watermark)
        {
            _watermark = min;
            _idleSent = false;
            _head.Watermark(min);
        }
    }
}
