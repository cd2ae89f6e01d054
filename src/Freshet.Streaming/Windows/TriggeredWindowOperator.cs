using Freshet.Streaming.Runtime;

namespace Freshet.Streaming.Windows;

/// <summary>
/// Keyed windows driven by a <see cref="Trigger{T, TWindow}"/>, Flink's general <c>WindowOperator</c>: any assigner
/// (fixed-size by event or processing time, merging sessions, global) and any trigger. Each record is added to
/// the accumulator of each of its windows, then the trigger decides (fire, purge). A window's state is removed at
/// its cleanup time — <c>MaxTimestamp + allowedLateness</c> in event time, <c>MaxTimestamp</c> in processing time,
/// never for the global window. A record all of whose windows are past cleanup, and whose own time plus the
/// allowed lateness is at or behind the watermark, is late: side output or dropped.
/// <para>
/// Merging (sessions): a key's windows never overlap or touch. A new window is merged with every window of the key
/// it overlaps or touches into their union; the union's accumulator is the <c>Merge</c> of theirs, the trigger's
/// <c>OnMerge</c> combines its state, and the merged windows are cleared (trigger <c>Clear</c>, cleanup timer
/// deleted). A merge whose union would already be past cleanup is not made (the record is late).
/// </para>
/// <para>
/// State layout, for snapshots by key group: <c>_state</c> maps each key to its windows, each window to its
/// <see cref="WindowContents{TAcc}"/> (accumulator + trigger values); so all entries of a key are listed and
/// re-inserted through <c>_state[key]</c>. Timers live in two <see cref="WindowTimerQueue{TKey}"/> (event time,
/// processing time) keyed by (key, window, time). A key with no windows is removed. The (slower, general) path
/// used when the fast <see cref="WindowOperator{TKey, TIn, TAcc, TOut}"/> (tumbling/sliding event time with the
/// default trigger) does not apply. Not thread-safe: task thread only.
/// </para>
/// </summary>
internal sealed class TriggeredWindowOperator<TKey, TIn, TAcc, TOut> : Operator<TIn>, IProcessingTimeCallback
    where TKey : notnull
{
    private readonly Func<TIn, TKey> _keySelector;
    private readonly WindowAssigner _assigner;
    private readonly Trigger<TIn, TimeWindow> _trigger;
    private readonly Func<TAcc> _createAccumulator;
    private readonly Func<TIn, TAcc, TAcc> _add;
    private readonly Func<TAcc, TAcc, TAcc> _merge;
    private readonly WindowResultEmitter<TKey, TAcc, TOut> _emitter;
    private readonly long _allowedLatenessMs;
    private readonly bool _eventTime;
    private readonly bool _merging;
    private readonly ProcessingTimeService _processingTime;
    private readonly Output<TOut> _output;
    private readonly Output<TIn>? _lateOutput;
    private readonly Dictionary<TKey, Dictionary<TimeWindow, WindowContents<TAcc>>> _state = [];
    private readonly WindowTimerQueue<TKey> _eventTimers = new();
    private readonly WindowTimerQueue<TKey> _processingTimers = new();
    private readonly WindowTriggerContext<TKey, TAcc> _context;
    private readonly List<TimeWindow> _assigned = [];
    private readonly List<TimeWindow> _toMerge = [];
    private long _watermark = long.MinValue;

    public TriggeredWindowOperator(
        OperatorSetup setup,
        Func<TIn, TKey> keySelector,
        WindowAssigner assigner,
        Trigger<TIn, TimeWindow> trigger,
        long allowedLatenessMs,
        Func<TAcc> createAccumulator,
        Func<TIn, TAcc, TAcc> add,
        Func<TAcc, TAcc, TAcc> merge,
        WindowResultEmitter<TKey, TAcc, TOut> emitter,
        Operator<TOut> next,
        Operator<TIn>? lateOutput)
        : base(setup)
    {
        _keySelector = keySelector;
        _assigner = assigner;
        _trigger = trigger;
        _createAccumulator = createAccumulator;
        _add = add;
        _merge = merge;
        _emitter = emitter;
        _eventTime = assigner.IsEventTime;
        _merging = assigner.IsMerging;
        _allowedLatenessMs = _eventTime ? allowedLatenessMs : 0;
        _processingTime = setup.ProcessingTime;
        _output = new Output<TOut>(next, setup.BatchSize, Metrics);
        _lateOutput = lateOutput is null ? null : new Output<TIn>(lateOutput, setup.BatchSize, new OperatorMetricsCounter(setup.Name, setup.SubtaskIndex, setup.Parallelism));
        _context = new WindowTriggerContext<TKey, TAcc>(_eventTimers, _processingTimers, _processingTime, this);
    }

    /// <summary>Records dropped as late because no side output takes them.</summary>
    public long LateRecordsDropped { get; private set; }

    protected override void ProcessBatch(StreamBatch<TIn> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        var count = batch.Count;
        var now = _eventTime ? 0 : _processingTime.Now;
        for (var i = 0; i < count; i++)
        {
            var timestamp = timestamps[i];
            if (_eventTime && timestamp == long.MinValue)
            {
                throw new InvalidOperationException("A record has no event time. Event-time windows need a WatermarkStrategy with a timestamp assigner on the source (or records with timestamps).");
            }

            var value = values[i];
            _assigned.Clear();
            _assigner.AssignWindows(value, timestamp, now, _assigned);
            var key = _keySelector(value);
            var skipped = true;
            foreach (var assigned in _assigned)
            {
                var window = _merging ? MergeUnion(key, assigned) : assigned;
                if (IsLate(window))
                {
                    continue;
                }

                skipped = false;
                var contents = _merging ? Merge(key, window) : GetOrAddContents(key, window);
                contents.Accumulator = _add(value, contents.HasAccumulator ? contents.Accumulator : _createAccumulator());
                contents.HasAccumulator = true;
                Point(key, window, contents);
                Apply(_trigger.OnElement(value, timestamp, window, _context), key, window, contents);
                RegisterCleanupTimer(key, window);
            }

            if (skipped && IsLateRecord(timestamp))
            {
                if (_lateOutput is not null)
                {
                    _lateOutput.Emit(value, timestamp);
                }
                else
                {
                    LateRecordsDropped++;
                }
            }
        }

        _output.Flush();
        _lateOutput?.Flush();
    }

    protected override void OnWatermark(long watermark)
    {
        _watermark = watermark;
        _context.Watermark = watermark;
        while (_eventTimers.TryPopDue(watermark, out var key, out var window, out var time))
        {
            OnTimer(key, window, time, eventTime: true);
        }

        _output.Watermark(watermark);
        _lateOutput?.Watermark(watermark);
    }

    public void OnProcessingTime(long nowMs)
    {
        try
        {
            while (_processingTimers.TryPopDue(nowMs, out var key, out var window, out var time))
            {
                OnTimer(key, window, time, eventTime: false);
            }

            _output.Flush();
        }
        catch (Exception e) when (IsUserFailure(e))
        {
            throw Wrap(e);
        }
    }

    protected override void OnIdle()
    {
        _output.Idle();
        _lateOutput?.Idle();
    }

    protected override void OnFinish()
    {
        _output.Finish();
        _lateOutput?.Finish();
    }

    private void OnTimer(TKey key, TimeWindow window, long time, bool eventTime)
    {
        if (!_state.TryGetValue(key, out var windows) || !windows.TryGetValue(window, out var contents))
        {
            // The window was merged away or removed; its timers are stale.
            return;
        }

        Point(key, window, contents);
        var result = eventTime ? _trigger.OnEventTime(time, window, _context) : _trigger.OnProcessingTime(time, window, _context);
        Apply(result, key, window, contents);
        if (eventTime == _eventTime && time == CleanupTime(window))
        {
            Point(key, window, contents);
            _trigger.Clear(window, _context);
            windows.Remove(window);
            if (windows.Count == 0)
            {
                _state.Remove(key);
            }
        }
    }

    private void Apply(TriggerResult result, TKey key, TimeWindow window, WindowContents<TAcc> contents)
    {
        if ((result == TriggerResult.Fire || result == TriggerResult.FireAndPurge) && contents.HasAccumulator)
        {
            _emitter.Emit(key, window, contents.Accumulator, _watermark, _output);
        }

        if (result == TriggerResult.Purge || result == TriggerResult.FireAndPurge)
        {
            contents.Accumulator = default!;
            contents.HasAccumulator = false;
        }
    }

    private void Point(TKey key, TimeWindow window, WindowContents<TAcc> contents)
    {
        _context.Key = key;
        _context.Window = window;
        _context.Contents = contents;
    }

    private Dictionary<TimeWindow, WindowContents<TAcc>> WindowsOf(TKey key)
    {
        if (!_state.TryGetValue(key, out var windows))
        {
            windows = [];
            _state.Add(key, windows);
        }

        return windows;
    }

    private WindowContents<TAcc> GetOrAddContents(TKey key, TimeWindow window)
    {
        var windows = WindowsOf(key);
        if (!windows.TryGetValue(window, out var contents))
        {
            contents = new WindowContents<TAcc>();
            windows.Add(window, contents);
        }

        return contents;
    }

    /// <summary>
    /// The session <paramref name="window"/> would become: its union with every window of the key that overlaps or
    /// touches it (collected in <c>_toMerge</c>). Changes no state.
    /// </summary>
    private TimeWindow MergeUnion(TKey key, TimeWindow window)
    {
        _toMerge.Clear();
        var start = window.Start;
        var end = window.End;
        if (_state.TryGetValue(key, out var windows))
        {
            foreach (var existing in windows.Keys)
            {
                if (existing.Start <= window.End && existing.End >= window.Start)
                {
                    _toMerge.Add(existing);
                    start = Math.Min(start, existing.Start);
                    end = Math.Max(end, existing.End);
                }
            }
        }

        return new TimeWindow(start, end);
    }

    /// <summary>Makes <paramref name="union"/> (from <see cref="MergeUnion"/>) a window of the key, merging the windows in <c>_toMerge</c> into it.</summary>
    private WindowContents<TAcc> Merge(TKey key, TimeWindow union)
    {
        var windows = WindowsOf(key);
        if (_toMerge.Count == 1 && _toMerge[0] == union)
        {
            return windows[union];
        }

        var merged = new WindowContents<TAcc>();
        _context.MergedContents.Clear();
        foreach (var window in _toMerge)
        {
            var contents = windows[window];
            _context.MergedContents.Add(contents);
            if (contents.HasAccumulator)
            {
                merged.Accumulator = merged.HasAccumulator ? _merge(merged.Accumulator, contents.Accumulator) : contents.Accumulator;
                merged.HasAccumulator = true;
            }
        }

        windows.Add(union, merged);
        if (_toMerge.Count > 0)
        {
            Point(key, union, merged);
            _trigger.OnMerge(union, _context);
            _context.MergedContents.Clear();
            foreach (var window in _toMerge)
            {
                Point(key, window, windows[window]);
                _trigger.Clear(window, _context);
                DeleteCleanupTimer(key, window);
                windows.Remove(window);
            }
        }

        return merged;
    }

    /// <summary>True when <paramref name="window"/> is past its cleanup time in event time.</summary>
    private bool IsLate(TimeWindow window) => _eventTime && CleanupTime(window) <= _watermark;

    private bool IsLateRecord(long timestamp) =>
        _eventTime && (timestamp > long.MaxValue - _allowedLatenessMs ? long.MaxValue : timestamp + _allowedLatenessMs) <= _watermark;

    /// <summary>When the window's state is removed; <c>long.MaxValue</c> (never) for the global window.</summary>
    private long CleanupTime(TimeWindow window)
    {
        if (window.End == long.MaxValue)
        {
            return long.MaxValue;
        }

        var maxTimestamp = window.MaxTimestamp;
        return maxTimestamp > long.MaxValue - _allowedLatenessMs ? long.MaxValue : maxTimestamp + _allowedLatenessMs;
    }

    private void RegisterCleanupTimer(TKey key, TimeWindow window)
    {
        var cleanup = CleanupTime(window);
        if (cleanup == long.MaxValue)
        {
            return;
        }

        Point(key, window, _context.Contents);
        if (_eventTime)
        {
            _context.RegisterEventTimeTimer(cleanup);
        }
        else
        {
            _context.RegisterProcessingTimeTimer(cleanup);
        }
    }

    private void DeleteCleanupTimer(TKey key, TimeWindow window)
    {
        var cleanup = CleanupTime(window);
        if (_eventTime)
        {
            _eventTimers.Delete(key, window, cleanup);
        }
        else
        {
            _processingTimers.Delete(key, window, cleanup);
        }
    }
}
