using System.Runtime.CompilerServices;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Sources;

/// <summary>
/// Where a <see cref="SourceReader{T}"/> puts its records (Flink's <c>ReaderOutput</c>): assigns event times through the
/// source's <see cref="WatermarkStrategy{T}"/>, tracks the watermark of each split, and passes full batches to the
/// operators after the source. Made by the runtime, one per source subtask; not thread-safe: the source task's thread
/// only, within <see cref="SourceReader{T}.Poll"/>.
/// <para>
/// Watermarks per split: a split's watermark is its largest event time minus the strategy's bound minus 1 ms; a split
/// that delivered nothing for the strategy's idleness timeout is idle. After each poll the subtask emits the minimum
/// over its splits that are neither idle nor finished, when it advanced (the runtime's watermark valve); when every
/// split is idle or finished it emits the largest watermark they reached and then goes idle. A split the reader takes
/// on later (<see cref="SourceReader{T}.SplitCount"/> grew) starts like the first ones: it holds event time back until
/// it delivers records or goes idle. A split the reader reports finished (<see cref="FinishSplit"/>) no longer holds
/// event time back.
/// </para>
/// <para>
/// Watermarks driven by the reader (a strategy made by <see cref="WatermarkStrategy.DrivenByReader{T}"/>, for input
/// that carries its own watermarks, like a repartition topic's markers): the output derives nothing from event times
/// and applies no idleness timeout; each split's watermark and idleness are what the reader last set through
/// <see cref="AdvanceSplitWatermark"/>, <see cref="MarkSplitIdle"/> and <see cref="MarkSplitActive"/>. The same valve
/// combines them after each poll, with the same rules (a split holds event time back until the reader sets its
/// watermark or marks it idle; a finished split no longer holds it back). Records' event times are passed on as given.
/// </para>
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
public sealed class SourceOutput<T>
{
    private readonly Operator<T> _head;
    private readonly StreamBatch<T> _batch;
    private readonly OperatorMetricsCounter _metrics;
    private readonly SourceReader<T> _reader;
    private readonly Func<T, long, long>? _assigner;
    private readonly long _boundMs;
    private readonly bool _generatesWatermarks;
    private readonly long _idlenessMs;
    private readonly bool _drivenByReader;
    private readonly WatermarkValve _valve;
    private int _splitCount;
    private long[] _maxTimestamp;
    private bool[] _sawRecord;
    private long[] _lastActiveMs;
    private bool[] _finished;
    private long _lastPollEndMs;

    /// <param name="reader">The reader whose <see cref="SourceReader{T}.SplitCount"/> says how many splits there are (read now, after each poll, and when <see cref="Collect(T, long, int)"/> meets a new split).</param>
    internal SourceOutput(Operator<T> head, int batchSize, OperatorMetricsCounter metrics, WatermarkStrategy<T> strategy, SourceReader<T> reader, long nowMs)
    {
        _head = head;
        _batch = new StreamBatch<T>(batchSize);
        _metrics = metrics;
        _reader = reader;
        _assigner = strategy.TimestampAssigner;
        _boundMs = strategy.MaxOutOfOrdernessMs;
        _generatesWatermarks = strategy.GeneratesWatermarks;
        _idlenessMs = strategy.IdlenessMs;
        _drivenByReader = strategy.DrivenByReader;
        _lastPollEndMs = nowMs;
        var splits = SplitCountOfReader();
        _splitCount = splits;
        _maxTimestamp = new long[splits];
        _sawRecord = new bool[splits];
        _lastActiveMs = new long[splits];
        _finished = new bool[splits];
        _valve = new WatermarkValve(splits);
        Array.Fill(_maxTimestamp, long.MinValue);
        Array.Fill(_lastActiveMs, nowMs);
    }

    /// <summary>The last watermark emitted (event time, ms).</summary>
    internal long Watermark => _valve.Watermark;

    /// <summary>A connector whose records are bytes read <paramref name="bytes"/> bytes of keys and values (task thread; once per poll).</summary>
    internal void CountBytesIn(long bytes) => _metrics.BytesIn += bytes;

    /// <summary>
    /// Emits one record of split <paramref name="split"/> (a number below the reader's
    /// <see cref="SourceReader{T}.SplitCount"/>). Its event time is what the watermark strategy's timestamp assigner
    /// makes of it, else <paramref name="timestamp"/>.
    /// </summary>
    /// <param name="value">The record; the output keeps a reference until the batch it joins is passed on.</param>
    /// <param name="timestamp">The source's own timestamp of the record (ms since the Unix epoch), or <see cref="long.MinValue"/> for none.</param>
    /// <param name="split">The split the record comes from.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is negative or not below <see cref="SourceReader{T}.SplitCount"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Collect(T value, long timestamp, int split)
    {
        if ((uint)split >= (uint)_splitCount)
        {
            TakeOnSplitsUpTo(split);
        }

        var eventTime = _assigner is null ? timestamp : _assigner(value, timestamp);
        if (eventTime > _maxTimestamp[split])
        {
            _maxTimestamp[split] = eventTime;
        }

        _sawRecord[split] = true;
        if (_batch.IsFull)
        {
            FlushBatch();
        }

        _batch.Add(value, eventTime);
    }

    /// <summary>Emits one record of split <paramref name="split"/> that has no timestamp of its own (see <see cref="Collect(T, long, int)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Collect(T value, int split) => Collect(value, long.MinValue, split);

    /// <summary>
    /// Split <paramref name="split"/> has ended (a file read to its end, a partition closed): it no longer holds back
    /// the subtask's watermark, and when every split is idle or finished the watermark it reached still counts, as an
    /// idle split's does. Its number is not reused. Finishing a finished split does nothing; collecting records for it
    /// is a reader bug (they are passed on and count as its last records).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is negative or not below <see cref="SourceReader{T}.SplitCount"/>.</exception>
    public void FinishSplit(int split)
    {
        if ((uint)split >= (uint)_splitCount)
        {
            TakeOnSplitsUpTo(split);
        }

        _finished[split] = true;
    }

    /// <summary>
    /// With watermarks driven by the reader: split <paramref name="split"/> reached <paramref name="watermark"/> (event
    /// time, ms) and is active. Takes effect at the end of the poll, after the poll's records, so a record collected
    /// before or after this call in the same poll is never behind the emitted watermark on account of it. The reader
    /// passes a non-decreasing watermark per split; the emitted watermark never goes back in any case.
    /// </summary>
    /// <exception cref="InvalidOperationException">The source's strategy does not let the reader drive watermarks.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is negative or not below <see cref="SourceReader{T}.SplitCount"/>.</exception>
    internal void AdvanceSplitWatermark(int split, long watermark)
    {
        ValidateDrivenSplit(split);
        _valve.SetWatermark(split, watermark);
    }

    /// <summary>With watermarks driven by the reader: split <paramref name="split"/> is idle and no longer holds event time back (see <see cref="AdvanceSplitWatermark"/>).</summary>
    /// <exception cref="InvalidOperationException">The source's strategy does not let the reader drive watermarks.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is negative or not below <see cref="SourceReader{T}.SplitCount"/>.</exception>
    internal void MarkSplitIdle(int split)
    {
        ValidateDrivenSplit(split);
        _valve.MarkIdle(split);
    }

    /// <summary>With watermarks driven by the reader: split <paramref name="split"/> is active again at its last watermark (see <see cref="AdvanceSplitWatermark"/>).</summary>
    /// <exception cref="InvalidOperationException">The source's strategy does not let the reader drive watermarks.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="split"/> is negative or not below <see cref="SourceReader{T}.SplitCount"/>.</exception>
    internal void MarkSplitActive(int split)
    {
        ValidateDrivenSplit(split);
        _valve.MarkActive(split);
    }

    /// <summary>Passes buffered records on, then updates idleness and emits the watermark if it advanced. Called by the source task after each poll.</summary>
    internal void EndPoll(long nowMs)
    {
        FlushBatch();
        _lastPollEndMs = nowMs;
        var splits = SplitCountOfReader();
        if (splits > _splitCount)
        {
            TakeOnSplits(splits);
        }

        if (_drivenByReader)
        {
            for (var s = 0; s < _valve.InputCount; s++)
            {
                if (_finished[s])
                {
                    _valve.MarkIdle(s);
                }
            }

            _valve.Emit(_head);
            return;
        }

        if (!_generatesWatermarks && _valve.InputCount > 0)
        {
            return;
        }

        for (var s = 0; s < _valve.InputCount; s++)
        {
            if (_finished[s])
            {
                if (_sawRecord[s] || !_valve.IsIdle(s))
                {
                    // Its last records count once, then it stays idle for good: no timeout or record wakes it again.
                    FoldIn(s);
                    _valve.MarkIdle(s);
                }

                continue;
            }

            if (_sawRecord[s])
            {
                _lastActiveMs[s] = nowMs;
                FoldIn(s);
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
    internal void EmitFinalWatermark()
    {
        FlushBatch();
        _valve.EmitFinal(_head);
    }

    /// <summary>Hands split <paramref name="s"/>'s records since the last poll to the valve as its watermark.</summary>
    private void FoldIn(int s)
    {
        if (!_sawRecord[s])
        {
            return;
        }

        _sawRecord[s] = false;
        var max = _maxTimestamp[s];
        _valve.SetWatermark(s, max == long.MinValue ? long.MinValue : max - _boundMs - 1);
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

    private void ValidateDrivenSplit(int split)
    {
        if (!_drivenByReader)
        {
            throw new InvalidOperationException(
                $"{_reader.GetType().Name} sets split watermarks itself, but the source's watermark strategy derives them from event times; give the source WatermarkStrategy.DrivenByReader.");
        }

        if ((uint)split >= (uint)_splitCount)
        {
            TakeOnSplitsUpTo(split);
        }
    }

    private int SplitCountOfReader()
    {
        var splits = _reader.SplitCount;
        if (splits < _splitCount || splits < 0)
        {
            throw new InvalidOperationException(
                $"{_reader.GetType().Name}.SplitCount went from {_splitCount} to {splits}; it may only grow (report a split that ended with SourceOutput.FinishSplit).");
        }

        return splits;
    }

    /// <summary>A record or finish named split <paramref name="split"/>, which is new to the output: re-reads the reader's split count.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void TakeOnSplitsUpTo(int split)
    {
        var splits = SplitCountOfReader();
        if (split < 0 || split >= splits)
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, $"{_reader.GetType().Name} has {splits} splits (SplitCount); split numbers are 0 to SplitCount - 1.");
        }

        TakeOnSplits(splits);
    }

    /// <summary>Grows the per-split arrays and the valve to <paramref name="splits"/> splits; the new ones start active, as the first ones did.</summary>
    private void TakeOnSplits(int splits)
    {
        var old = _splitCount;
        if (splits > _maxTimestamp.Length)
        {
            var capacity = Math.Max(splits, _maxTimestamp.Length * 2);
            Array.Resize(ref _maxTimestamp, capacity);
            Array.Resize(ref _sawRecord, capacity);
            Array.Resize(ref _lastActiveMs, capacity);
            Array.Resize(ref _finished, capacity);
        }

        Array.Fill(_maxTimestamp, long.MinValue, old, splits - old);
        Array.Fill(_lastActiveMs, _lastPollEndMs, old, splits - old);
        _valve.AddInputs(splits - old);
        _splitCount = splits;
    }
}
