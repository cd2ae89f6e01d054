using System.Runtime.CompilerServices;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Sources;

/// <summary>
/// Where a <see cref="SourceReader{T}"/> puts records: assigns event times, tracks the watermark of each split,
/// and passes full batches to the chain. After each poll the source task calls <see cref="EndPoll"/>, which
/// passes the partial batch on and emits the subtask's watermark through a <see cref="WatermarkValve"/> over its
/// splits: a split's watermark is its largest event time minus the strategy's bound minus 1 ms; a split that delivered
/// nothing for the strategy's idleness timeout is idle. Not thread-safe: the source task's thread only.
/// </summary>
internal sealed class SourceOutput<T>
{
    private readonly Operator<T> _head;
    private readonly StreamBatch<T> _batch;
    private readonly OperatorMetricsCounter _metrics;
    private readonly Func<T, long, long>? _assigner;
    private readonly long _boundMs;
    private readonly bool _generatesWatermarks;
    private readonly long _idlenessMs;
    private readonly long[] _maxTimestamp;
    private readonly bool[] _sawRecord;
    private readonly long[] _lastActiveMs;
    private readonly WatermarkValve _valve;

    public SourceOutput(Operator<T> head, int batchSize, OperatorMetricsCounter metrics, WatermarkStrategy<T> strategy, int splits, long nowMs)
    {
        _head = head;
        _batch = new StreamBatch<T>(batchSize);
        _metrics = metrics;
        _assigner = strategy.TimestampAssigner;
        _boundMs = strategy.MaxOutOfOrdernessMs;
        _generatesWatermarks = strategy.GeneratesWatermarks;
        _idlenessMs = strategy.IdlenessMs;
        _maxTimestamp = new long[splits];
        _sawRecord = new bool[splits];
        _lastActiveMs = new long[splits];
        _valve = new WatermarkValve(splits);
        Array.Fill(_maxTimestamp, long.MinValue);
        Array.Fill(_lastActiveMs, nowMs);
    }

    /// <summary>The last watermark emitted (event time, ms).</summary>
    public long Watermark => _valve.Watermark;

    /// <summary>Emits one record of split <paramref name="split"/>; <paramref name="recordTimestamp"/> is the source's own timestamp or <see cref="long.MinValue"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Collect(T value, long recordTimestamp, int split)
    {
        var timestamp = _assigner is null ? recordTimestamp : _assigner(value, recordTimestamp);
        if (timestamp > _maxTimestamp[split])
        {
            _maxTimestamp[split] = timestamp;
        }

        _sawRecord[split] = true;
        if (_batch.IsFull)
        {
            FlushBatch();
        }

        _batch.Add(value, timestamp);
    }

    /// <summary>Passes buffered records on, then updates idleness and emits the watermark if it advanced.</summary>
    public void EndPoll(long nowMs)
    {
        FlushBatch();
        if (!_generatesWatermarks && _valve.InputCount > 0)
        {
            return;
        }

        for (var s = 0; s < _valve.InputCount; s++)
        {
            if (_sawRecord[s])
            {
                _sawRecord[s] = false;
                _lastActiveMs[s] = nowMs;
                var max = _maxTimestamp[s];
                _valve.SetWatermark(s, max == long.MinValue ? long.MinValue : max - _boundMs - 1);
            }
            else if (_idlenessMs > 0 && !_valve.IsIdle(s) && nowMs - _lastActiveMs[s] >= _idlenessMs)
            {
                _valve.MarkIdle(s);
            }
        }

        // A subtask with no split (more subtasks than partitions) goes idle at once: it must not hold back event time.
        _valve.Emit(_head);
    }

    /// <summary>End of a bounded source: the final watermark (<see cref="long.MaxValue"/>) fires everything downstream.</summary>
    public void EmitFinalWatermark()
    {
        FlushBatch();
        _valve.EmitFinal(_head);
    }

    private void FlushBatch()
    {
        if (_batch.Count > 0)
        {
            _metrics.RecordsOut += _batch.Count;
            _head.Process(_batch);
            _batch.Reset();
        }
    }
}
