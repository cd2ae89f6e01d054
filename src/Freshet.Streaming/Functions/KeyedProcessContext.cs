namespace Freshet.Streaming.Functions;

/// <summary>
/// What a <see cref="KeyedProcessFunction{TKey, TIn, TOut}"/> sees during a call: the current key, the record's
/// event time, timers, and side outputs. In <see cref="KeyedProcessFunction{TKey, TIn, TOut}.OnTimer"/> it also says
/// which clock fired (Flink's <c>OnTimerContext</c>).
/// </summary>
public abstract class KeyedProcessContext<TKey>
{
    /// <summary>The key of the record or timer being processed.</summary>
    public abstract TKey CurrentKey { get; }

    /// <summary>The event time of the record (or of the event-time timer), null when it has none.</summary>
    public abstract long? Timestamp { get; }

    /// <summary>Timers for the current key.</summary>
    public abstract TimerService TimerService { get; }

    /// <summary>In <c>OnTimer</c>: the clock of the firing timer; null in <c>ProcessElement</c>.</summary>
    public abstract TimeDomain? TimeDomain { get; }

    /// <summary>Emits <paramref name="value"/> to the side output <paramref name="tag"/> (dropped when nobody consumes it).</summary>
    public abstract void Output<TSide>(OutputTag<TSide> tag, TSide value);
}
