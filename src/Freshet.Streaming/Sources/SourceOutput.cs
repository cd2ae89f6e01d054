using System.Runtime.CompilerServices;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Sources;

/// <summary>
/// Where a <see cref="SourceReader{T}"/> puts records: assigns event times, tracks the watermark of each split,
/// and passes full batches to the chain. After each poll the source task calls <see cref="EndPoll"/>, which
/// passes the partial batch on and emits the subtask's watermark (minimum over non-idle splits) when it advanced,
/// or <c>Idle</c> when every split is idle. Not thread-safe: the source task's thread only.
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
    private readonly bool[] _idle;
    private long _emittedWatermark = long.MinValue;
    private bool _idleSent;

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
        _idle = new bool[splits];
        Array.Fill(_maxTimestamp, long.MinValue);
        Array.Fill(_lastActiveMs, nowMs);
    }

    /// <summary>The last watermark emitted (event time, ms).</summary>
    public long Watermark => _emittedWatermark;

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
        if (!_generatesWatermarks || _idle.Length == 0)
        {
            if (_idle.Length == 0 && !_idleSent)
            {
                // A subtask with no split (more subtasks than partitions) must not hold back event time.
                _idleSent = true;
                _head.Idle();
            }

            return;
        }

        var watermark = long.MaxValue;
        var anyActive = false;
        for (var s = 0; s < _idle.Length; s++)
        {
            if (_sawRecord[s])
            {
                _sawRecord[s] = false;
                _lastActiveMs[s] = nowMs;
                _idle[s] = false;
            }
            else if (_idlenessMs > 0 && !_idle[s] && nowMs - _lastActiveMs[s] >= _idlenessMs)
            {
                _idle[s] = true;
            }

            if (!_idle[s])
            {
                anyActive = true;
                var max = _maxTimestamp[s];
                var splitWatermark = max == long.MinValue ? long.MinValue : max - _boundMs - 1;
                if (splitWatermark < watermark)
                {
                    watermark = splitWatermark;
                }
            }
        }

        if (!anyActive)
        {
            if (!_idleSent)
            {
                // Every split is idle: flush the largest split watermark (as Flink's watermark valve does), then go idle.
                var max = long.MinValue;
                foreach (var ts in _maxTimestamp)
                {
                    var splitWatermark = ts == long.MinValue ? long.MinValue : ts - _boundMs - 1;
                    max = Math.Max(max, splitWatermark);
                }

                if (max > _emittedWatermark)
                {
                    _emittedWatermark = max;
                    _head.Watermark(max);
                }

                _idleSent = true;
                _head.Idle();
            }

            return;
        }

        if (watermark > _emittedWatermark)
        {
            _emittedWatermark = watermark;
            _idleSent = false;
            _head.Watermark(watermark);
        }
    }

    /// <summary>End of a bounded source: the final watermark (<see cref="long.MaxValue"/>) fires everything downstream.</summary>
    public void EmitFinalWatermark()
    {
        FlushBatch();
        if (_emittedWatermark < long.MaxValue)
        {
            _emittedWatermark = long.MaxValue;
            _head.Watermark(long.MaxValue);
        }
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
