using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Windows;

// Checkpoints: the operator's five snapshot sections, each grouped by key group, and their restore.
internal sealed partial class TriggerDrivenWindowOperator<TKey, TIn, TAcc, TOut>
{
    private const string WindowsSection = "window-contents";
    private const string SessionsSection = "window-sessions";
    private const string TriggerStateSection = "window-trigger-state";
    private const string EventTimersSection = "window-timers:event";
    private const string ProcessingTimersSection = "window-timers:processing";

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
}
