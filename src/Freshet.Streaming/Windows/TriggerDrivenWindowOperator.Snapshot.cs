using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Windows;

// Checkpoints: the contents' keyed state and the operator's four sections of its own, each grouped by key group, and
// their restore.
internal sealed partial class TriggerDrivenWindowOperator<TKey, TIn, TAcc, TOut>
{
    private const string SessionsSection = TriggerDrivenWindowSections.Sessions;
    private const string TriggerStateSection = TriggerDrivenWindowSections.TriggerState;
    private const string EventTimersSection = TriggerDrivenWindowSections.EventTimers;
    private const string ProcessingTimersSection = TriggerDrivenWindowSections.ProcessingTimers;

    public Func<IReadOnlyList<(string Name, byte[] Bytes)>>? SnapshotState(long checkpointId)
    {
        var maxParallelism = _setup.MaxParallelism;
        var keys = Serializers.Default<TKey>();
        var triggerState = KeyGroupedStateSnapshot.Snapshot(
            _triggerState.SelectMany(static scope => scope.Value.Select(state => KeyValuePair.Create(scope.Key.Key, (scope.Key.Window, (state.Key, state.Value.ToBytes()))))),
            maxParallelism,
            keys,
            TriggerStateSerializer);
        var sessions = KeyGroupedStateSnapshot.Capture(_sessions.SelectMany(static e => e.Value.Select(window => KeyValuePair.Create(e.Key, window))), maxParallelism);
        var eventTimers = CaptureTimers(_eventTimers, maxParallelism);
        var processingTimers = CaptureTimers(_processingTimers, maxParallelism);

        // Last: a RocksDB capture holds a snapshot that only the returned function releases.
        var contents = _contents.Snapshot();
        return () =>
        [
            .. contents(),
            (TriggerStateSection, triggerState()),
            (SessionsSection, KeyGroupedStateSnapshot.Serialize(sessions, maxParallelism, keys, WindowSerializer.Instance)),
            (EventTimersSection, KeyGroupedStateSnapshot.Serialize(eventTimers, maxParallelism, keys, TimerSerializer)),
            (ProcessingTimersSection, KeyGroupedStateSnapshot.Serialize(processingTimers, maxParallelism, keys, TimerSerializer)),
        ];
    }

    /// <summary>
    /// The contents' sections in any backend and the four of its own; in place of the aligned operator (aligned
    /// event-time windows on a backend other than the heap) also the aligned operator's panes, refused on restore.
    /// </summary>
    public IReadOnlyList<string> StateSections =>
        InPlaceOfAlignedOperator ? [.. WindowContents<TKey, TIn, TAcc>.Sections, .. TriggerDrivenWindowSections.Own, TriggerDrivenWindowSections.AlignedPanes] : [.. WindowContents<TKey, TIn, TAcc>.Sections, .. TriggerDrivenWindowSections.Own];

    /// <summary>Whether this operator serves windows the heap would give to the aligned operator (so a heap checkpoint of them holds panes).</summary>
    private bool InPlaceOfAlignedOperator => !_setup.StateBackend.KeepsStateAsObjects && _assigner is AlignedWindowAssigner { IsEventTime: true };

    public void RestoreState(RestoredOperatorState restored)
    {
        if (InPlaceOfAlignedOperator && restored.Section(TriggerDrivenWindowSections.AlignedPanes).Any())
        {
            throw new InvalidOperationException(
                $"The windows of '{_setup.Name}' were checkpointed with the heap state backend (as aligned panes, section '{TriggerDrivenWindowSections.AlignedPanes}') and cannot be restored into the {_setup.StateBackend.Sections.BackendName} backend; restore them with the backend that wrote them.");
        }

        var (maxParallelism, range) = (_setup.MaxParallelism, _setup.KeyGroupRange);
        var keys = Serializers.Default<TKey>();
        _contents.Restore(restored, range, maxParallelism);

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

    private static WindowEntrySerializer<(string, byte[])> TriggerStateSerializer => new(new PairSnapshotSerializer<string, byte[]>(Serializers.Utf8String, Serializers.Bytes));

    private static WindowEntrySerializer<long> TimerSerializer => new(Serializers.Int64);

    private static (int KeyGroup, TKey Key, (TimeWindow, long) Entry)[] CaptureTimers(TimerQueue<(TKey Key, TimeWindow Window)> timers, int maxParallelism) =>
        KeyGroupedStateSnapshot.Capture(timers.Registered.Select(static t => KeyValuePair.Create(t.Key.Key, (t.Key.Window, t.Time))), maxParallelism);
}
