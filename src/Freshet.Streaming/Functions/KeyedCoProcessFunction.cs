namespace Freshet.Streaming.Functions;

/// <summary>
/// The low-level operator of two keyed, connected streams (Flink's <c>KeyedCoProcessFunction</c>): records of either
/// input with keyed state and timers shared by both, scoped to the record's key. Each subtask runs its own shallow
/// copy of the instance; all calls come from that subtask's task thread. Records emitted get the input record's event
/// time (an event-time timer's time in <see cref="OnTimer"/>).
/// </summary>
public abstract class KeyedCoProcessFunction<TKey, TIn1, TIn2, TOut>
{
    /// <summary>Called once before the first record; get state handles here.</summary>
    public virtual void Open(RuntimeContext context)
    {
    }

    /// <summary>Processes one record of the first input.</summary>
    public abstract void ProcessElement1(TIn1 value, KeyedProcessContext<TKey> context, Collector<TOut> output);

    /// <summary>Processes one record of the second input.</summary>
    public abstract void ProcessElement2(TIn2 value, KeyedProcessContext<TKey> context, Collector<TOut> output);

    /// <summary>A timer of <see cref="KeyedProcessContext{TKey}.CurrentKey"/> fired at <paramref name="timestamp"/> (ms).</summary>
    public virtual void OnTimer(long timestamp, KeyedProcessContext<TKey> context, Collector<TOut> output)
    {
    }

    /// <summary>The copy one subtask runs.</summary>
    internal virtual KeyedCoProcessFunction<TKey, TIn1, TIn2, TOut> CopyForSubtask() => (KeyedCoProcessFunction<TKey, TIn1, TIn2, TOut>)MemberwiseClone();
}
