namespace Freshet.Streaming.Functions;

/// <summary>
/// The low-level keyed operator (Flink's <c>KeyedProcessFunction</c>): per-record logic with keyed state and
/// event-time and processing-time timers. Each subtask runs its own shallow copy of the instance given to
/// <c>Process</c> (as Flink deserialises one copy per subtask), so fields set in <see cref="Open"/> belong to one
/// subtask; objects referenced by fields are shared. All calls come from that subtask's task thread, so state needs no
/// locks. Records emitted in <see cref="ProcessElement"/> get the input record's event time; in
/// <see cref="OnTimer"/>, an event-time timer's time (none for processing-time timers).
/// </summary>
public abstract class KeyedProcessFunction<TKey, TIn, TOut>
{
    /// <summary>Called once before the first record; get state handles here.</summary>
    public virtual void Open(RuntimeContext context)
    {
    }

    /// <summary>Processes one record.</summary>
    public abstract void ProcessElement(TIn value, KeyedProcessContext<TKey> context, Collector<TOut> output);

    /// <summary>A timer of <see cref="KeyedProcessContext{TKey}.CurrentKey"/> fired at <paramref name="timestamp"/> (ms).</summary>
    public virtual void OnTimer(long timestamp, KeyedProcessContext<TKey> context, Collector<TOut> output)
    {
    }

    /// <summary>The copy one subtask runs.</summary>
    internal KeyedProcessFunction<TKey, TIn, TOut> CopyForSubtask() => (KeyedProcessFunction<TKey, TIn, TOut>)MemberwiseClone();
}
