using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows.Triggers;

namespace Freshet.Streaming.Windows;

/// <summary>
/// The general window operator (Flink's <c>WindowOperator</c>): any <see cref="WindowAssigner"/> (aligned windows
/// in event or processing time, merging sessions, the global window) with any <see cref="Trigger{T}"/>. The
/// specialised <see cref="AlignedWindowAggregateOperator{TKey, TIn, TAcc, TOut}"/> serves the common case, aligned event-time windows
/// with the default trigger, faster.
/// <para>
/// Per record: the assigner gives its windows; for merging assigners each new window is merged with the key's
/// overlapping (or touching) sessions, combining their accumulators; a window past its allowed lateness is skipped;
/// the record is added to the window's accumulator, and the trigger decides whether to fire and/or purge. Each window
/// also gets a cleanup timer — at <c>End − 1 + allowedLateness</c> in event time, at <c>End − 1</c> in processing
/// time, none for the global window — that removes its contents, trigger state and timers. A record all of whose
/// windows are skipped is late when <c>timestamp + allowedLateness ≤ watermark</c> (event time only): side output or
/// dropped.
/// </para>
/// <para>
/// State layout: each (key, window)'s contents — an accumulator, or the records for a window function that sees them
/// all — in keyed state of the job's <see cref="State.StateBackend"/> (<see cref="WindowContents{TKey, TIn, TAcc}"/>:
/// on the heap a dictionary entry, in RocksDB an entry of the subtask's database, so large windows stay out of
/// memory). The bookkeeping stays on the heap whatever the backend, as Flink's heap timers beside RocksDB do: each
/// key's live sessions in a list; trigger state by (key, window) and name; timers in two
/// <see cref="TimerQueue{TKey}"/>s keyed by (key, window) — a few small values per open window. Everything is reachable
/// from the key, so snapshots can group it by key group. At end of input the final watermark fires event-time timers
/// and pending processing-time timers too, so a bounded job emits its last processing-time windows (before its final
/// checkpoint; timers registered later fire at finish). Not thread-safe: task thread only.
/// </para>
/// <para>
/// Checkpoints, each grouped by key group so a restore at another parallelism takes whole key groups: the contents'
/// keyed state in its backend's section (<c>state:window-contents</c> or <c>rocksdb:window-contents</c>, taken with the
/// backend's snapshot: one RocksDB snapshot per subtask), and four sections of its own: <c>window-sessions</c> (key →
/// live session, merging assigners only), <c>window-trigger-state</c> (key → window, state name, value bytes),
/// <c>window-timers:event</c> and <c>window-timers:processing</c> (key → window, time; cleanup timers included). The
/// names differ from the aligned <see cref="AlignedWindowAggregateOperator{TKey, TIn, TAcc, TOut}"/>'s, so a uid moved
/// between the two is refused, not misread. Trigger state values are serialized with
/// <see cref="Serializers.Default{T}"/> of the type the trigger asked for and restored lazily: the bytes are kept
/// until the trigger next asks for the state with its type. Restored processing-time timers are scheduled again
/// (those already due fire at once); the watermark starts over, as everywhere.
/// </para>
/// </summary>
internal sealed partial class TriggerDrivenWindowOperator<TKey, TIn, TAcc, TOut> : Operator<TIn>, IProcessingTimeCallback, ICheckpointedOperator
    where TKey : notnull
{
    private readonly OperatorSetup _setup;
    private readonly Func<TIn, TKey> _keySelector;
    private readonly WindowAssigner _assigner;
    private readonly Trigger<TIn> _trigger;
    private readonly long _allowedLatenessMs;
    private readonly WindowContents<TKey, TIn, TAcc> _contents;
    private readonly WindowResultEmitter<TKey, TAcc, TOut> _emitter;
    private readonly Output<TOut> _output;
    private readonly Output<TIn>? _lateOutput;
    private readonly ProcessingTimeService _processingTime;
    private readonly Dictionary<TKey, List<TimeWindow>> _sessions = [];
    private readonly Dictionary<(TKey Key, TimeWindow Window), Dictionary<string, TriggerValue>> _triggerState = [];
    private readonly TimerQueue<(TKey Key, TimeWindow Window)> _eventTimers = new();
    private readonly TimerQueue<(TKey Key, TimeWindow Window)> _processingTimers = new();
    private readonly List<TimeWindow> _assigned = [];
    private readonly Context _context;
    private long _watermark = long.MinValue;

    public TriggerDrivenWindowOperator(
        OperatorSetup setup,
        Func<TIn, TKey> keySelector,
        WindowAssigner assigner,
        Trigger<TIn> trigger,
        long allowedLatenessMs,
        WindowContents<TKey, TIn, TAcc> contents,
        WindowResultEmitter<TKey, TAcc, TOut> emitter,
        Operator<TOut> next,
        Operator<TIn>? lateOutput)
        : base(setup)
    {
        if (assigner.IsMerging && !trigger.CanMerge)
        {
            throw new InvalidOperationException($"The trigger {trigger.GetType().Name} cannot be used with merging (session) windows.");
        }

        _keySelector = keySelector;
        _assigner = assigner;
        _trigger = trigger;
        _allowedLatenessMs = assigner.IsEventTime ? allowedLatenessMs : 0;
        _contents = contents;
        _emitter = emitter;
        _processingTime = setup.ProcessingTime;
        _output = new Output<TOut>(next, setup.BatchSize, Metrics);
        _lateOutput = lateOutput is null ? null : new Output<TIn>(lateOutput, setup.BatchSize, new OperatorMetricsCounter(setup.Name, setup.SubtaskIndex, setup.Parallelism));
        _context = new Context(this);
        _setup = setup;
    }

    /// <summary>Records dropped as late because no side output takes them.</summary>
    public long LateRecordsDropped { get; private set; }

    /// <summary>(Key, window) pairs holding contents.</summary>
    public int WindowCount => _contents.Count;

    /// <summary>Where the window contents live.</summary>
    internal WindowContents<TKey, TIn, TAcc> Contents => _contents;

    /// <summary>Releases the window contents (deletes a RocksDB working database).</summary>
    public override void Close() => _contents.Dispose();

    protected override void ProcessBatch(StreamBatch<TIn> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        var now = _processingTime.Now;
        for (var i = 0; i < batch.Count; i++)
        {
            ProcessRecord(values[i], timestamps[i], now);
        }

        _output.Flush();
        _lateOutput?.Flush();
    }

    private void ProcessRecord(TIn value, long timestamp, long now)
    {
        var key = _keySelector(value);
        _assigned.Clear();
        _assigner.AssignWindows(value, timestamp, now, _assigned);
        var skipped = true;
        foreach (var assigned in _assigned)
        {
            var window = _assigner.IsMerging ? AddToSessions(key, assigned) : assigned;
            if (IsWindowLate(window))
            {
                if (_assigner.IsMerging)
                {
                    ClearAll(key, window);
                }

                continue;
            }

            skipped = false;
            _contents.Select(key, window);
            _contents.Add(value);
            _context.Set(key, window);
            Apply(_trigger.OnElement(value, timestamp, window, _context), key, window);
            RegisterCleanupTimer(key, window);
        }

        if (skipped && IsElementLate(timestamp))
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

    protected override void OnIdle()
    {
        _output.Idle();
        _lateOutput?.Idle();
    }

    protected override void OnFinish()
    {
        // End of input: processing time will not advance for this job any more; fire what it would have fired.
        FireProcessingTimers(long.MaxValue);
        _output.Finish();
        _lateOutput?.Finish();
    }

    private void Apply(TriggerResult result, TKey key, TimeWindow window)
    {
        if (result is TriggerResult.Continue)
        {
            return;
        }

        _contents.Select(key, window);
        if (result is TriggerResult.Fire or TriggerResult.FireAndPurge && _contents.TryGet(out var contents))
        {
            _emitter.Emit(key, window, contents, _watermark, _output);
        }

        if (result is TriggerResult.Purge or TriggerResult.FireAndPurge)
        {
            _contents.Clear();
        }
    }

    private void ClearAll(TKey key, TimeWindow window)
    {
        _contents.Select(key, window);
        _contents.Clear();
        _context.Set(key, window);
        _trigger.Clear(window, _context);
        _triggerState.Remove((key, window));
        DeleteCleanupTimer(key, window);
        if (_assigner.IsMerging && _sessions.TryGetValue(key, out var sessions))
        {
            sessions.Remove(window);
            if (sessions.Count == 0)
            {
                _sessions.Remove(key);
            }
        }
    }

    private bool IsElementLate(long timestamp) =>
        _assigner.IsEventTime && timestamp != long.MinValue && timestamp <= _watermark - _allowedLatenessMs;
}
