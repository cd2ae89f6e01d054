using System.Runtime.InteropServices;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Windows;

/// <summary>
/// Keyed event-time windows (tumbling or sliding) with incremental aggregation, Flink's <c>WindowOperator</c> with
/// the <c>EventTimeTrigger</c>: windows are <c>[start, end)</c>; a window fires when the watermark reaches
/// <c>end − 1</c>; its state is kept until <c>end − 1 + allowedLateness</c>, and a record arriving in that time
/// updates it and fires it again for its key; a record all of whose windows are past that is late (side output or
/// dropped).
/// <para>
/// State layout (the hot path): one <see cref="WindowPane{TKey, TAcc}"/> per window end, holding a
/// <c>Dictionary&lt;TKey, TAcc&gt;</c>; a dictionary from window end to pane plus min-heaps of fire and cleanup times.
/// A record costs one window-start computation, usually no pane lookup (the last pane is cached) and one
/// <c>CollectionsMarshal.GetValueRefOrAddDefault</c> — no allocation, no boxing, no timer per (key, window).
/// Firing enumerates the pane. Purged panes are cleared and pooled. The key group of an entry is derived from its
/// key when state is snapshotted. Not thread-safe: task thread only.
/// </para>
/// <para>
/// Used when the job's state backend keeps state as objects (the heap): the panes are this operator's own heap layout.
/// On any other backend <c>WindowedStream</c> builds <see cref="TriggerDrivenWindowOperator{TKey, TIn, TAcc, TOut}"/>
/// for the same windows instead (same results), whose contents live in the backend.
/// </para>
/// <para>
/// Checkpoints: the section <c>windows</c> holds, per key, (window end, whether the pane already fired, accumulator),
/// grouped by key group. A restored pane that fired is not fired again (only its cleanup remains). When panes of one
/// window end come from old subtasks that disagree on whether it fired (a rescale with allowed lateness and skewed
/// watermarks), the pane fires again for all its keys.
/// </para>
/// </summary>
internal sealed class AlignedWindowAggregateOperator<TKey, TIn, TAcc, TOut> : Operator<TIn>, ICheckpointedOperator
    where TKey : notnull
{
    private const string Section = TriggerDrivenWindowSections.AlignedPanes;
    private readonly OperatorSetup _setup;
    private readonly Func<TIn, TKey> _keySelector;
    private readonly Func<TAcc> _createAccumulator;
    private readonly Func<TIn, TAcc, TAcc> _add;
    private readonly WindowResultEmitter<TKey, TAcc, TOut> _emitter;
    private readonly long _size;
    private readonly long _slide;
    private readonly long _offset;
    private readonly bool _tumbling;
    private readonly long _allowedLatenessMs;
    private readonly Output<TOut> _output;
    private readonly Output<TIn>? _lateOutput;
    private readonly Dictionary<long, WindowPane<TKey, TAcc>> _panes = [];
    private readonly PriorityQueue<WindowPane<TKey, TAcc>, long> _fireQueue = new();
    private readonly PriorityQueue<WindowPane<TKey, TAcc>, long> _cleanupQueue = new();
    private readonly Stack<WindowPane<TKey, TAcc>> _pool = new();
    private WindowPane<TKey, TAcc>? _lastPane;
    private long _watermark = long.MinValue;

    public AlignedWindowAggregateOperator(
        OperatorSetup setup,
        Func<TIn, TKey> keySelector,
        AlignedWindowAssigner assigner,
        long allowedLatenessMs,
        Func<TAcc> createAccumulator,
        Func<TIn, TAcc, TAcc> add,
        WindowResultEmitter<TKey, TAcc, TOut> emitter,
        Operator<TOut> next,
        Operator<TIn>? lateOutput)
        : base(setup)
    {
        _keySelector = keySelector;
        _createAccumulator = createAccumulator;
        _add = add;
        _emitter = emitter;
        _size = assigner.SizeMs;
        _slide = assigner.SlideMs;
        _offset = assigner.OffsetMs;
        _tumbling = assigner.SizeMs == assigner.SlideMs;
        _allowedLatenessMs = allowedLatenessMs;
        _output = new Output<TOut>(next, setup.BatchSize, Metrics);
        _lateOutput = lateOutput is null ? null : new Output<TIn>(lateOutput, setup.BatchSize, new OperatorMetricsCounter(setup.Name, setup.SubtaskIndex, setup.Parallelism));
        _setup = setup;
        StateSections =
        [
            Section,
            .. StateBackend.KnownSections.Where(format => format != setup.StateBackend.Sections).SelectMany(format => format.SectionsOf(WindowContents<TKey, TIn, TAcc>.StateName)),
            .. TriggerDrivenWindowSections.Own,
        ];
    }

    private static PairSnapshotSerializer<long, (bool, TAcc)> EntrySerializer =>
        new(Serializers.Int64, new PairSnapshotSerializer<bool, TAcc>(Serializers.Boolean, Serializers.Default<TAcc>()));

    public Func<IReadOnlyList<(string Name, byte[] Bytes)>>? SnapshotState(long checkpointId)
    {
        var entries = _panes.Values.SelectMany(static pane => pane.Entries.Select(e => KeyValuePair.Create(e.Key, (pane.End, (pane.Fired, e.Value)))));
        var serialize = KeyGroupedStateSnapshot.Snapshot(entries, _setup.MaxParallelism, Serializers.Default<TKey>(), EntrySerializer);
        return () => [(Section, serialize())];
    }

    /// <summary>
    /// Its panes; also what the general operator writes for the same windows on other backends than this job's, so
    /// that a restore of those is refused naming the backends.
    /// </summary>
    public IReadOnlyList<string> StateSections { get; }

    public void RestoreState(RestoredOperatorState restored)
    {
        foreach (var other in StateBackend.KnownSections.Where(format => format != _setup.StateBackend.Sections))
        {
            if (other.SectionsOf(WindowContents<TKey, TIn, TAcc>.StateName).Any(section => restored.Section(section).Any()))
            {
                throw new InvalidOperationException(
                    $"The windows of '{_setup.Name}' were checkpointed with the {other.BackendName} state backend (contents in keyed state) and cannot be restored into the {_setup.StateBackend.Sections.BackendName} backend; restore them with the backend that wrote them.");
            }
        }

        foreach (var bytes in restored.Section(Section))
        {
            KeyGroupedStateSnapshot.Restore(bytes, _setup.MaxParallelism, _setup.KeyGroupRange, Serializers.Default<TKey>(), EntrySerializer, (key, entry) =>
            {
                var (end, (fired, accumulator)) = entry;
                var isNew = !_panes.ContainsKey(end);
                var pane = GetOrCreatePane(end);
                if (isNew && fired)
                {
                    // GetOrCreatePane queued it to fire (the watermark starts over); a fired pane only awaits cleanup.
                    pane.Fired = true;
                    _fireQueue.Clear();
                    foreach (var unfired in _panes.Values.Where(static p => !p.Fired))
                    {
                        _fireQueue.Enqueue(unfired, unfired.End - 1);
                    }
                }
                else if (!isNew && pane.Fired && !fired)
                {
                    pane.Fired = false;
                    _fireQueue.Enqueue(pane, end - 1);
                }

                pane.Entries[key] = accumulator;
            });
        }
    }

    /// <summary>Records dropped as late because no side output takes them.</summary>
    public long LateRecordsDropped { get; private set; }

    /// <summary>Panes (window ends) currently held.</summary>
    public int PaneCount => _panes.Count;

    protected override void ProcessBatch(StreamBatch<TIn> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        var count = batch.Count;
        for (var i = 0; i < count; i++)
        {
            var timestamp = timestamps[i];
            if (timestamp == long.MinValue)
            {
                throw new InvalidOperationException("A record has no event time. Event-time windows need a WatermarkStrategy with a timestamp assigner on the source (or records with timestamps).");
            }

            var value = values[i];
            var key = _keySelector(value);
            bool added;
            if (_tumbling)
            {
                added = AddToWindow(key, value, WindowAssigner.WindowStart(timestamp, _offset, _size) + _size);
            }
            else
            {
                added = false;
                var lastStart = WindowAssigner.WindowStart(timestamp, _offset, _slide);
                for (var start = lastStart; start > timestamp - _size; start -= _slide)
                {
                    added |= AddToWindow(key, value, start + _size);
                }
            }

            if (!added)
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

    /// <returns>False when the window is past its allowed lateness (the record is late for it).</returns>
    private bool AddToWindow(TKey key, TIn value, long end)
    {
        if (CleanupTime(end - 1) <= _watermark)
        {
            return false;
        }

        var pane = _lastPane;
        if (pane is null || pane.End != end)
        {
            pane = GetOrCreatePane(end);
        }

        ref var accumulator = ref CollectionsMarshal.GetValueRefOrAddDefault(pane.Entries, key, out var exists);
        if (!exists)
        {
            accumulator = _createAccumulator();
        }

        accumulator = _add(value, accumulator!);
        if (pane.Fired)
        {
            // Late but within allowed lateness: EventTimeTrigger fires the updated window at once.
            _emitter.Emit(key, new TimeWindow(end - _size, end), accumulator, _watermark, _output);
        }

        return true;
    }

    private WindowPane<TKey, TAcc> GetOrCreatePane(long end)
    {
        if (!_panes.TryGetValue(end, out var pane))
        {
            pane = _pool.TryPop(out var pooled) ? pooled : new WindowPane<TKey, TAcc>();
            pane.End = end;
            pane.Fired = end - 1 <= _watermark;
            _panes.Add(end, pane);
            if (!pane.Fired)
            {
                _fireQueue.Enqueue(pane, end - 1);
            }

            if (_allowedLatenessMs > 0)
            {
                _cleanupQueue.Enqueue(pane, CleanupTime(end - 1));
            }
        }

        _lastPane = pane;
        return pane;
    }

    protected override void OnWatermark(long watermark)
    {
        _watermark = watermark;
        while (_fireQueue.TryPeek(out var pane, out var time) && time <= watermark)
        {
            _fireQueue.Dequeue();
            var window = new TimeWindow(pane.End - _size, pane.End);
            foreach (var entry in pane.Entries)
            {
                _emitter.Emit(entry.Key, window, entry.Value, watermark, _output);
            }

            pane.Fired = true;
            if (_allowedLatenessMs == 0)
            {
                Release(pane);
            }
        }

        while (_cleanupQueue.TryPeek(out var pane, out var time) && time <= watermark)
        {
            _cleanupQueue.Dequeue();
            Release(pane);
        }

        _output.Watermark(watermark);
        _lateOutput?.Watermark(watermark);
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

    private void Release(WindowPane<TKey, TAcc> pane)
    {
        _panes.Remove(pane.End);
        if (ReferenceEquals(_lastPane, pane))
        {
            _lastPane = null;
        }

        pane.Entries.Clear();
        _pool.Push(pane);
    }

    /// <summary>When a window whose last millisecond is <paramref name="maxTimestamp"/> is purged (saturating).</summary>
    private long CleanupTime(long maxTimestamp) =>
        maxTimestamp > long.MaxValue - _allowedLatenessMs ? long.MaxValue : maxTimestamp + _allowedLatenessMs;
}
