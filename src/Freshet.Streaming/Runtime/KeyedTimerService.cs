using Freshet.Streaming.Functions;

namespace Freshet.Streaming.Runtime;

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

    private TKey Key => _key.IsSet ? _key.Current : throw new InvalidOperationException("Timers can only be registered while a record or timer of a key is processed.");
}
