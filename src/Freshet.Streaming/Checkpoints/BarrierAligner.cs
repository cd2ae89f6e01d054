namespace Freshet.Streaming.Checkpoints;

/// <summary>
/// Tracks checkpoint barriers over the N input channels of one task, independent of how the task reads them (a
/// one-input or a two-input task feeds it the same way). In <see cref="CheckpointingMode.ExactlyOnce"/> a channel that
/// delivered barrier n is blocked (<see cref="IsBlocked"/>: the task must not take from it) until barrier n arrived on
/// every channel; then <see cref="BarrierAlignment.SnapshotCheckpointId"/> is n and every channel is unblocked. In
/// <see cref="CheckpointingMode.AtLeastOnce"/> nothing is blocked and the snapshot is due when the last barrier arrives.
/// Finished channels count as aligned. A barrier newer than the one being aligned abandons the older alignment;
/// barriers of checkpoints already snapshotted or abandoned are ignored. Not thread-safe: used by the task thread only.
/// </summary>
internal sealed class BarrierAligner
{
    private readonly CheckpointingMode _mode;
    private readonly bool[] _barrierReceived;
    private readonly bool[] _finished;
    private long _aligningId;
    private long _lastResolvedId;
    private int _received;
    private int _finishedCount;

    public BarrierAligner(int channelCount, CheckpointingMode mode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channelCount, 1);
        _mode = mode;
        _barrierReceived = new bool[channelCount];
        _finished = new bool[channelCount];
    }

    public int ChannelCount => _barrierReceived.Length;

    /// <summary>The checkpoint whose barriers are being collected; 0 when none.</summary>
    public long AligningCheckpointId => _aligningId;

    /// <summary>True while <paramref name="channel"/> must not be read: it delivered the barrier being aligned (exactly-once only).</summary>
    public bool IsBlocked(int channel) => _mode == CheckpointingMode.ExactlyOnce && _aligningId != 0 && _barrierReceived[channel];

    /// <summary>True when any channel is blocked.</summary>
    public bool AnyBlocked => _mode == CheckpointingMode.ExactlyOnce && _aligningId != 0 && _received > 0;

    /// <summary>Records that <paramref name="channel"/> delivered the barrier of <paramref name="checkpointId"/>.</summary>
    public BarrierAlignment OnBarrier(int channel, long checkpointId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(checkpointId);
        if (_finished[channel])
        {
            throw new InvalidOperationException($"Channel {channel} delivered a barrier after its end of input.");
        }

        if (checkpointId <= _lastResolvedId || (checkpointId < _aligningId))
        {
            return BarrierAlignment.None;
        }

        long abandoned = 0;
        if (checkpointId > _aligningId)
        {
            if (_aligningId != 0)
            {
                abandoned = _aligningId;
                _lastResolvedId = _aligningId;
            }

            StartAligning(checkpointId);
        }

        if (_barrierReceived[channel])
        {
            throw new InvalidOperationException($"Channel {channel} delivered the barrier of checkpoint {checkpointId} twice.");
        }

        _barrierReceived[channel] = true;
        _received++;
        return new BarrierAlignment(CompleteIfAligned(), abandoned);
    }

    /// <summary>Records that <paramref name="channel"/> ended; it counts as aligned from now on.</summary>
    public BarrierAlignment OnChannelFinished(int channel)
    {
        if (_finished[channel])
        {
            return BarrierAlignment.None;
        }

        _finished[channel] = true;
        _finishedCount++;
        if (_aligningId != 0 && _barrierReceived[channel])
        {
            // The channel's barrier is already counted; it must not be counted again as finished.
            _barrierReceived[channel] = false;
            _received--;
        }

        return _aligningId == 0 ? BarrierAlignment.None : new BarrierAlignment(CompleteIfAligned(), 0);
    }

    /// <summary>Gives up the alignment of <paramref name="checkpointId"/> (the coordinator aborted it) and unblocks every channel.</summary>
    public void Abort(long checkpointId)
    {
        if (checkpointId == _aligningId && _aligningId != 0)
        {
            _lastResolvedId = _aligningId;
            Reset();
        }
        else if (checkpointId > _lastResolvedId && _aligningId == 0)
        {
            // Barriers of an aborted checkpoint that arrive later are ignored.
            _lastResolvedId = checkpointId;
        }
    }

    private void StartAligning(long checkpointId)
    {
        Reset();
        _aligningId = checkpointId;
    }

    private long CompleteIfAligned()
    {
        if (_received + _finishedCount < _barrierReceived.Length)
        {
            return 0;
        }

        var id = _aligningId;
        _lastResolvedId = id;
        Reset();
        return id;
    }

    private void Reset()
    {
        Array.Clear(_barrierReceived);
        _received = 0;
        _aligningId = 0;
    }
}
