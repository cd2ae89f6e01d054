using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Time;
using System.Buffers;
using System.Buffers.Binary;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Windows.Triggers;

namespace Freshet.Streaming.Windows;

/// <summary>
/// The general window operator (Flink's <c>WindowOperator</c>): any <see cref="WindowAssigner"/> (aligned windows
/// in event or processing time, merging sessions, the global window) with any <see cref="Trigger{T}"/>. The
/// specialised <see cref="WindowOperator{TKey, TIn, TAcc, TOut}"/> serves the common case, aligned event-time windows
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
/// State layout: accumulators in a dictionary keyed by (key, window); each key's live sessions in a list; trigger
/// state by (key, window) and name; timers in two <see cref="TimerQueue{TKey}"/>s keyed by (key, window). Everything is
/// reachable from the key, so snapshots can group it by key group. At end of input the final watermark fires
/// event-time timers and pending processing-time timers too, so a bounded job emits its last processing-time windows
/// (before its final checkpoint; timers registered later fire at finish). Not thread-safe: task thread only.
/// </para>
/// <para>
/// Checkpoints: five sections, each grouped by key group so a restore at another parallelism takes whole key groups:
/// <c>window-contents</c> (key → window, accumulator), <c>window-sessions</c> (key → live session, merging assigners
/// only), <c>window-trigger-state</c> (key → window, state name, value bytes), <c>window-timers:event</c> and
/// <c>window-timers:processing</c> (key → window, time; cleanup timers included). The names differ from the aligned
/// <see cref="WindowOperator{TKey, TIn, TAcc, TOut}"/>'s, so a uid moved between the two is refused, not misread. Trigger state values are serialized with
/// <see cref="Serializers.Default{T}"/> of the type the trigger asked for and restored lazily: the bytes are kept
/// until the trigger next asks for the state with its type. Restored processing-time timers are scheduled again
/// (those already due fire at once); the watermark starts over, as everywhere.
/// </para>
/// </summary>
internal sealed class TriggeredWindowOperator<TKey, TIn, TAcc, TOut> : Operator<TIn>, IProcessingTimeCallback, ICheckpointedOperator
    where TKey : notnull
{
    private const string WindowsSection = "window-contents";
    private const string SessionsSection = "window-sessions";
    private const string TriggerStateSection = "window-trigger-state";
    private const string EventTimersSection = "window-timers:event";
    private const string ProcessingTimersSection = "window-timers:processing";
    private readonly OperatorSetup _setup;
    private readonly Func<TIn, TKey> _keySelector;
    private readonly WindowAssigner _assigner;
    private readonly Trigger<TIn> _trigger;
    private readonly long _allowedLatenessMs;
    private readonly Func<TAcc> _createAccumulator;
    private readonly Func<TIn, TAcc, TAcc> _add;
    private readonly Func<TAcc, TAcc, TAcc> _merge;
    private readonly WindowResultEmitter<TKey, TAcc, TOut> _emitter;
    private readonly Output<TOut> _output;
    private readonly Output<TIn>? _lateOutput;
    private readonly ProcessingTimeService _processingTime;
    private readonly Dictionary<(TKey Key, TimeWindow Window), TAcc> _contents = [];
    private readonly Dictionary<TKey, List<TimeWindow>> _sessions = [];
    private readonly Dictionary<(TKey Key, TimeWindow Window), Dictionary<string, TriggerValue>> _triggerState = [];
    private readonly TimerQueue<(TKey Key, TimeWindow Window)> _eventTimers = new();
    private readonly TimerQueue<(TKey Key, TimeWindow Window)> _processingTimers = new();
    private readonly List<TimeWindow> _assigned = [];
    private readonly Context _context;
    private long _watermark = long.MinValue;

    public TriggeredWindowOperator(
        OperatorSetup setup,
        Func<TIn, TKey> keySelector,
        WindowAssigner assigner,
        Trigger<TIn> trigger,
        long allowedLatenessMs,
        Func<TAcc> createAccumulator,
        Func<TIn, TAcc, TAcc> add,
        Func<TAcc, TAcc, TAcc> merge,
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
        _createAccumulator = createAccumulator;
        _add = add;
        _merge = merge;
        _emitter = emitter;
        _processingTime = setup.ProcessingTime;
        _output = new Output<TOut>(next, setup.BatchSize, Metrics);
        _lateOutput = lateOutput is null ? null : new Output<TIn>(lateOutput, setup.BatchSize, new OperatorMetricsCounter(setup.Name, setup.SubtaskIndex, setup.Parallelism));
        _context = new Context(this);
        _setup = setup;
    }

    public Func<IReadOnlyList<(string Name, byte[] Bytes)>>? SnapshotState(long checkpointId)
    {
        var maxParallelism = _setup.MaxParallelism;
        var keys = Serializers.Default<TKey>();
        var windows = KeyGroupedStateSnapshot.Snapshot(
            _contents.Select(static e => KeyValuePair.Create(e.Key.Key, (e.Key.Window, e.Value))), maxParallelism, keys, ContentsSerializer);
        var triggerState = KeyGroupedStateSnapshot.Snapshot(
            _triggerState.SelectMany(static scope => scope.Value.Select(state => KeyValuePair.Create(scope.Key.Key, (scope.Key.Window, (state.Key, state.Value.ToBytes()))))),
            maxParallelism,
            keys,
            TriggerStateSerializer);
        var sessions = KeyGroupedStateSnapshot.Capture(_sessions.SelectMany(static e => e.Value.Select(window => KeyValuePair.Create(e.Key, window))), maxParallelism);
        var eventTimers = CaptureTimers(_eventTimers, maxParallelism);
        var processingTimers = CaptureTimers(_processingTimers, maxParallelism);
        return () =>
        [
            (WindowsSection, windows()),
            (TriggerStateSection, triggerState()),
            (SessionsSection, KeyGroupedStateSnapshot.Serialize(sessions, maxParallelism, keys, WindowSerializer.Instance)),
            (EventTimersSection, KeyGroupedStateSnapshot.Serialize(eventTimers, maxParallelism, keys, TimerSerializer)),
            (ProcessingTimersSection, KeyGroupedStateSnapshot.Serialize(processingTimers, maxParallelism, keys, TimerSerializer)),
        ];
    }

    public IReadOnlyList<string> StateSections { get; } = [WindowsSection, SessionsSection, TriggerStateSection, EventTimersSection, ProcessingTimersSection];

    public void RestoreState(RestoredOperatorState restored)
    {
        var (maxParallelism, range) = (_setup.MaxParallelism, _setup.KeyGroupRange);
        var keys = Serializers.Default<TKey>();
        foreach (var bytes in restored.Section(WindowsSection))
        {
            KeyGroupedStateSnapshot.Restore(bytes, maxParallelism, range, keys, ContentsSerializer, (key, entry) => _contents[(key, entry.Window)] = entry.Value);
        }

        foreach (var bytes in restored.Section(TriggerStateSection))
        {
            KeyGroupedStateSnapshot.Restore(bytes, maxParallelism, range, keys, TriggerStateSerializer, (key, entry) =>
            {
                var (name, value) = entry.Value;
                StatesOf((key, entry.Window))[name] = new RestoredTriggerValue(value);
            });
        }

        foreach (var bytes in restored.Section(SessionsSection))
        {
            KeyGroupedStateSnapshot.Restore(bytes, maxParallelism, range, keys, WindowSerializer.Instance, (key, window) =>
            {
                if (!_sessions.TryGetValue(key, out var sessions))
                {
                    sessions = [];
                    _sessions.Add(key, sessions);
                }

                sessions.Add(window);
            });
        }

        foreach (var bytes in restored.Section(EventTimersSection))
        {
            KeyGroupedStateSnapshot.Restore(bytes, maxParallelism, range, keys, TimerSerializer, (key, timer) => _eventTimers.Register((key, timer.Window), timer.Value));
        }

        foreach (var bytes in restored.Section(ProcessingTimersSection))
        {
            KeyGroupedStateSnapshot.Restore(bytes, maxParallelism, range, keys, TimerSerializer, (key, timer) => RegisterProcessingTimer(key, timer.Window, timer.Value));
        }
    }

    private static WindowEntrySerializer<TAcc> ContentsSerializer => new(Serializers.Default<TAcc>());

    private static WindowEntrySerializer<(string, byte[])> TriggerStateSerializer => new(new PairSnapshotSerializer<string, byte[]>(Serializers.Utf8String, Serializers.Bytes));

    private static WindowEntrySerializer<long> TimerSerializer => new(Serializers.Int64);

    private static (int KeyGroup, TKey Key, (TimeWindow, long) Entry)[] CaptureTimers(TimerQueue<(TKey Key, TimeWindow Window)> timers, int maxParallelism) =>
        KeyGroupedStateSnapshot.Capture(timers.Registered.Select(static t => KeyValuePair.Create(t.Key.Key, (t.Key.Window, t.Time))), maxParallelism);

    private Dictionary<string, TriggerValue> StatesOf((TKey Key, TimeWindow Window) scope)
    {
        if (!_triggerState.TryGetValue(scope, out var states))
        {
            states = new Dictionary<string, TriggerValue>(StringComparer.Ordinal);
            _triggerState.Add(scope, states);
        }

        return states;
    }

    /// <summary>Records dropped as late because no side output takes them.</summary>
    public long LateRecordsDropped { get; private set; }

    /// <summary>(Key, window) pairs holding contents.</summary>
    public int WindowCount => _contents.Count;

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
            var contentKey = (key, window);
            _contents[contentKey] = _add(value, _contents.TryGetValue(contentKey, out var accumulator) ? accumulator : _createAccumulator());
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

    /// <summary>
    /// Adds <paramref name="window"/> to the key's sessions, merging every session it overlaps or touches (Flink's
    /// <c>TimeWindow.intersects</c>), and returns the session now holding it.
    /// </summary>
    private TimeWindow AddToSessions(TKey key, TimeWindow window)
    {
        if (!_sessions.TryGetValue(key, out var sessions))
        {
            sessions = [];
            _sessions.Add(key, sessions);
        }

        var merged = window;
        List<TimeWindow>? absorbed = null;
        foreach (var session in sessions)
        {
            if (session.Start <= merged.End && session.End >= merged.Start)
            {
                (absorbed ??= []).Add(session);
                merged = new TimeWindow(Math.Min(merged.Start, session.Start), Math.Max(merged.End, session.End));
            }
        }

        if (absorbed is null)
        {
            sessions.Add(window);
            return window;
        }

        // Absorbing one session that already covers the new window changes nothing.
        if (absorbed.Count == 1 && absorbed[0] == merged)
        {
            return merged;
        }

        // Later absorbed sessions may overlap the growing cover only after earlier ones widened it: repeat until stable.
        bool grew;
        do
        {
            grew = false;
            foreach (var session in sessions)
            {
                if (!absorbed.Contains(session) && session.Start <= merged.End && session.End >= merged.Start)
                {
                    absorbed.Add(session);
                    merged = new TimeWindow(Math.Min(merged.Start, session.Start), Math.Max(merged.End, session.End));
                    grew = true;
                }
            }
        }
        while (grew);

        var hasContents = false;
        TAcc combined = default!;
        foreach (var session in absorbed)
        {
            sessions.Remove(session);
            if (_contents.Remove((key, session), out var accumulator))
            {
                combined = hasContents ? _merge(combined, accumulator) : accumulator;
                hasContents = true;
            }
        }

        sessions.Add(merged);
        if (hasContents)
        {
            _contents[(key, merged)] = combined;
        }

        _context.Set(key, merged, absorbed);
        _trigger.OnMerge(merged, _context);
        foreach (var session in absorbed)
        {
            if (session == merged)
            {
                continue;
            }

            _context.Set(key, session);
            _trigger.Clear(session, _context);
            DeleteCleanupTimer(key, session);
            _triggerState.Remove((key, session));
        }

        return merged;
    }

    protected override void OnWatermark(long watermark)
    {
        _watermark = watermark;
        while (_eventTimers.TryPopDue(watermark, out var timer))
        {
            OnTimer(timer.Key.Key, timer.Key.Window, timer.Time, eventTime: true);
        }

        if (watermark == long.MaxValue)
        {
            // The final watermark: every input has ended. Fire the last processing-time windows now rather than at
            // finish, so that their results precede a bounded job's final checkpoint (an exactly-once sink commits them).
            FireProcessingTimers(long.MaxValue);
        }

        _output.Watermark(watermark);
        _lateOutput?.Watermark(watermark);
    }

    public void OnProcessingTime(long nowMs)
    {
        try
        {
            FireProcessingTimers(nowMs);
            _output.Flush();
        }
        catch (Exception e) when (IsUserFailure(e))
        {
            throw Wrap(e);
        }
    }

    private void FireProcessingTimers(long upTo)
    {
        while (_processingTimers.TryPopDue(upTo, out var timer))
        {
            OnTimer(timer.Key.Key, timer.Key.Window, timer.Time, eventTime: false);
        }
    }

    private void OnTimer(TKey key, TimeWindow window, long time, bool eventTime)
    {
        if (_assigner.IsMerging && (!_sessions.TryGetValue(key, out var sessions) || !sessions.Contains(window)))
        {
            return;
        }

        _context.Set(key, window);
        if (_contents.ContainsKey((key, window)))
        {
            var result = eventTime ? _trigger.OnEventTime(time, window, _context) : _trigger.OnProcessingTime(time, window, _context);
            Apply(result, key, window);
        }

        if (eventTime == _assigner.IsEventTime && HasCleanup(window) && time == CleanupTime(window))
        {
            ClearAll(key, window);
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
        if (result is TriggerResult.Fire or TriggerResult.FireAndPurge && _contents.TryGetValue((key, window), out var accumulator))
        {
            _emitter.Emit(key, window, accumulator, _watermark, _output);
        }

        if (result is TriggerResult.Purge or TriggerResult.FireAndPurge)
        {
            _contents.Remove((key, window));
        }
    }

    private void ClearAll(TKey key, TimeWindow window)
    {
        _contents.Remove((key, window));
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

    private static bool HasCleanup(TimeWindow window) => window.End != long.MaxValue;

    private long CleanupTime(TimeWindow window) =>
        window.MaxTimestamp > long.MaxValue - _allowedLatenessMs ? long.MaxValue : window.MaxTimestamp + _allowedLatenessMs;

    private void RegisterCleanupTimer(TKey key, TimeWindow window)
    {
        if (!HasCleanup(window))
        {
            return;
        }

        if (_assigner.IsEventTime)
        {
            _eventTimers.Register((key, window), CleanupTime(window));
        }
        else
        {
            RegisterProcessingTimer(key, window, CleanupTime(window));
        }
    }

    private void DeleteCleanupTimer(TKey key, TimeWindow window)
    {
        if (!HasCleanup(window))
        {
            return;
        }

        if (_assigner.IsEventTime)
        {
            _eventTimers.Delete((key, window), CleanupTime(window));
        }
        else
        {
            _processingTimers.Delete((key, window), CleanupTime(window));
        }
    }

    private void RegisterProcessingTimer(TKey key, TimeWindow window, long time)
    {
        if (_processingTimers.Register((key, window), time))
        {
            _processingTime.Schedule(time, this);
        }
    }

    private bool IsWindowLate(TimeWindow window) => _assigner.IsEventTime && CleanupTime(window) <= _watermark;

    private bool IsElementLate(long timestamp) =>
        _assigner.IsEventTime && timestamp != long.MinValue && timestamp <= _watermark - _allowedLatenessMs;

    /// <summary>The trigger context, pointed at one (key, window) before each trigger call.</summary>
    private sealed class Context(TriggeredWindowOperator<TKey, TIn, TAcc, TOut> owner) : TriggerContext
    {
        private TKey _key = default!;
        private TimeWindow _window;
        private IReadOnlyList<TimeWindow> _merged = [];

        public override long CurrentWatermark => owner._watermark;

        public override long CurrentProcessingTime => owner._processingTime.Now;

        public override IReadOnlyList<TimeWindow> MergedWindows => _merged;

        public void Set(TKey key, TimeWindow window, IReadOnlyList<TimeWindow>? merged = null)
        {
            _key = key;
            _window = window;
            _merged = merged ?? [];
        }

        public override void RegisterEventTimeTimer(long time) => owner._eventTimers.Register((_key, _window), time);

        public override void RegisterProcessingTimeTimer(long time) => owner.RegisterProcessingTimer(_key, _window, time);

        public override void DeleteEventTimeTimer(long time) => owner._eventTimers.Delete((_key, _window), time);

        public override void DeleteProcessingTimeTimer(long time) => owner._processingTimers.Delete((_key, _window), time);

        public override TriggerState<TState> GetState<TState>(string name, TState defaultValue) => GetStateOf(name, defaultValue, _window);

        public override TriggerState<TState> GetStateOf<TState>(string name, TState defaultValue, TimeWindow window) =>
            new State<TState>(owner, (_key, window), name, defaultValue);
    }

    private sealed class State<TState>(TriggeredWindowOperator<TKey, TIn, TAcc, TOut> owner, (TKey Key, TimeWindow Window) scope, string name, TState defaultValue)
        : TriggerState<TState>
    {
        public override TState Value
        {
            get
            {
                if (!owner._triggerState.TryGetValue(scope, out var states) || !states.TryGetValue(name, out var stored))
                {
                    return defaultValue;
                }

                switch (stored)
                {
                    case TypedTriggerValue<TState> typed:
                        return typed.Value;
                    case RestoredTriggerValue restored:
                        // First use since a restore: now the type is known.
                        var value = Serializers.Default<TState>().Deserialize(restored.Bytes);
                        states[name] = new TypedTriggerValue<TState>(value);
                        return value;
                    default:
                        throw new InvalidOperationException($"The trigger state '{name}' holds a {stored.TypeName}, not a {typeof(TState).Name}: use one type per state name.");
                }
            }
        }

        public override void Update(TState value) => owner.StatesOf(scope)[name] = new TypedTriggerValue<TState>(value);

        public override void Clear()
        {
            if (owner._triggerState.TryGetValue(scope, out var states) && states.Remove(name) && states.Count == 0)
            {
                owner._triggerState.Remove(scope);
            }
        }
    }

    /// <summary>One trigger state value; replaced, never changed, on update, so a snapshot may hold it.</summary>
    private abstract class TriggerValue
    {
        public abstract string TypeName { get; }

        public abstract byte[] ToBytes();
    }

    private sealed class TypedTriggerValue<TState>(TState value) : TriggerValue
    {
        public TState Value { get; } = value;

        public override string TypeName => typeof(TState).Name;

        public override byte[] ToBytes() => Serializers.Default<TState>().SerializeToArray(Value);
    }

    /// <summary>A restored value whose type is not known until the trigger asks for it.</summary>
    private sealed class RestoredTriggerValue(byte[] bytes) : TriggerValue
    {
        public byte[] Bytes { get; } = bytes;

        public override string TypeName => "restored value";

        public override byte[] ToBytes() => Bytes;
    }
}

/// <summary>A window as a snapshot entry: big-endian int64 start and end (16 bytes). Thread-safe.</summary>
internal sealed class WindowSerializer : ISerializer<TimeWindow>
{
    public static WindowSerializer Instance { get; } = new();

    public void Serialize(TimeWindow value, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(16);
        BinaryPrimitives.WriteInt64BigEndian(span, value.Start);
        BinaryPrimitives.WriteInt64BigEndian(span[8..], value.End);
        output.Advance(16);
    }

    public TimeWindow Deserialize(ReadOnlySpan<byte> input) =>
        input.Length == 16
            ? new TimeWindow(BinaryPrimitives.ReadInt64BigEndian(input), BinaryPrimitives.ReadInt64BigEndian(input[8..]))
            : throw new InvalidDataException($"A snapshot window needs 16 bytes, not {input.Length}.");
}

/// <summary>A window and a value as a snapshot entry: the window's 16 bytes, then the value's bytes. Thread-safe when the value serializer is.</summary>
internal sealed class WindowEntrySerializer<T>(ISerializer<T> valueSerializer) : ISerializer<(TimeWindow Window, T Value)>
{
    public void Serialize((TimeWindow Window, T Value) entry, IBufferWriter<byte> output)
    {
        WindowSerializer.Instance.Serialize(entry.Window, output);
        valueSerializer.Serialize(entry.Value, output);
    }

    public (TimeWindow Window, T Value) Deserialize(ReadOnlySpan<byte> input) =>
        input.Length >= 16
            ? (WindowSerializer.Instance.Deserialize(input[..16]), valueSerializer.Deserialize(input[16..]))
            : throw new InvalidDataException("A snapshot window entry is shorter than its window.");
}
