using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Windows;

// Checkpoints: the contents' keyed state and the operator's four sections of its own, each grouped by key group, and
// their restore.
internal sealed partial class TriggerDrivenWindowOperator<TKey, TIn, TAcc, TOut>
{
    private const string SessionsSection = "window-sessions";
    private const string TriggerStateSection = "window-trigger-state";
    private const string EventTimersSection = "window-timers:event";
    private const string ProcessingTimersSection = "window-timers:processing";

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

    public IReadOnlyList<string> StateSections { get; } = [.. WindowContents<TKey, TIn, TAcc>.Sections, SessionsSection, TriggerStateSection, EventTimersSection, ProcessingTimersSection];

    public void RestoreState(RestoredOperatorState restored)
    {
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
