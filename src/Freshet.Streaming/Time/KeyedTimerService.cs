using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Time;

/// <summary>The <see cref="TimerService"/> of a keyed process operator: registers timers for the current key. Task thread only.</summary>
internal sealed class KeyedTimerService<TKey> : TimerService
    where TKey : notnull
{
    private readonly KeyContext<TKey> _key;
    private readonly ProcessingTimeService _processingTime;
    private readonly IProcessingTimeCallback _callback;

    public KeyedTimerService(KeyContext<TKey> key, ProcessingTimeService processingTime, IProcessingTimeCallback callback)
    {
        _key = key;
        _processingTime = processingTime;
        _callback = callback;
    }

    public TimerQueue<TKey> EventTimers { get; } = new();

    public TimerQueue<TKey> ProcessingTimers { get; } = new();

    public long Watermark { get; set; } = long.MinValue;

    public override long CurrentProcessingTime => _processingTime.Now;

    public override long CurrentWatermark => Watermark;

    public override void RegisterEventTimeTimer(long timeMs) => EventTimers.Register(Key, timeMs);

    public override void RegisterProcessingTimeTimer(long timeMs)
    {
        if (ProcessingTimers.Register(Key, timeMs))
        {
            _processingTime.Schedule(timeMs, _callback);
        }
    }

    public override void DeleteEventTimeTimer(long timeMs) => EventTimers.Delete(Key, timeMs);

    public override void DeleteProcessingTimeTimer(long timeMs) => ProcessingTimers.Delete(Key, timeMs);

    /// <summary>
    /// Synchronous phase of a checkpoint: copies both timer sets (sections <c>timers:event</c> and
    /// <c>timers:processing</c>, key-grouped, entry = the timer's time in ms) and returns their serialization.
    /// </summary>
    public Func<IReadOnlyList<(string Section, byte[] Bytes)>> Capture(int maxParallelism)
    {
        var keySerializer = Serializers.Default<TKey>();
        var eventTimers = KeyGroupedStateSnapshot.Capture(EventTimers.Registered.Select(static t => KeyValuePair.Create(t.Key, t.Time)), maxParallelism);
        var processingTimers = KeyGroupedStateSnapshot.Capture(ProcessingTimers.Registered.Select(static t => KeyValuePair.Create(t.Key, t.Time)), maxParallelism);
        return () =>
        [
            ("timers:event", KeyGroupedStateSnapshot.Serialize(eventTimers, maxParallelism, keySerializer, Serializers.Int64)),
            ("timers:processing", KeyGroupedStateSnapshot.Serialize(processingTimers, maxParallelism, keySerializer, Serializers.Int64)),
        ];
    }

    /// <summary>Registers the timers of the key groups in <paramref name="keyGroupRange"/> from every old subtask's sections; processing-time timers are scheduled again.</summary>
    public void Restore(RestoredOperatorState restored, int maxParallelism, (int First, int Last) keyGroupRange)
    {
        var keySerializer = Serializers.Default<TKey>();
        foreach (var bytes in restored.Section("timers:event"))
        {
            KeyGroupedStateSnapshot.Restore(bytes, maxParallelism, keyGroupRange, keySerializer, Serializers.Int64, (key, time) => EventTimers.Register(key, time));
        }

        foreach (var bytes in restored.Section("timers:processing"))
        {
            KeyGroupedStateSnapshot.Restore(bytes, maxParallelism, keyGroupRange, keySerializer, Serializers.Int64, (key, time) =>
            {
                if (ProcessingTimers.Register(key, time))
                {
                    _processingTime.Schedule(time, _callback);
                }
            });
        }
    }

    private TKey Key => _key.IsSet ? _key.Current : throw new InvalidOperationException("Timers can only be registered while a record or timer of a key is processed.");
}
