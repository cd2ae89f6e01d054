namespace Freshet.Streaming.Functions;

/// <summary>
/// Timers for the current key (Flink's <c>TimerService</c>). Timers are deduplicated per key and time (registering
/// the same one twice fires it once) and fire in time order through
/// <see cref="KeyedProcessFunction{TKey, TIn, TOut}.OnTimer"/>.
/// </summary>
public abstract class TimerService
{
    /// <summary>The current processing time (Unix ms, from the environment's clock).</summary>
    public abstract long CurrentProcessingTime { get; }

    /// <summary>The operator's current watermark (event time, ms).</summary>
    public abstract long CurrentWatermark { get; }

    /// <summary>Fires when the watermark reaches <paramref name="timeMs"/>.</summary>
    public abstract void RegisterEventTimeTimer(long timeMs);

    /// <summary>Fires when processing time reaches <paramref name="timeMs"/>.</summary>
    public abstract void RegisterProcessingTimeTimer(long timeMs);

    /// <summary>Removes an event-time timer of the current key, if registered.</summary>
    public abstract void DeleteEventTimeTimer(long timeMs);

    /// <summary>Removes a processing-time timer of the current key, if registered.</summary>
    public abstract void DeleteProcessingTimeTimer(long timeMs);
}
