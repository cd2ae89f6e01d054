namespace Freshet.Streaming.Functions;

/// <summary>
/// A window function that sees every record of a window (or the single pre-aggregated result, when combined with
/// an <see cref="IAggregateFunction{TIn, TAcc, TOut}"/>), the key, and the window's bounds. Results get the event
/// time <c>window.End − 1</c>. Each subtask runs its own shallow copy of the instance; called on that subtask's task
/// thread only.
/// </summary>
public abstract class ProcessWindowFunction<TIn, TOut, TKey>
{
    /// <summary>Computes the results of one window for one key.</summary>
    public abstract void Process(TKey key, ProcessWindowContext context, IReadOnlyList<TIn> elements, Collector<TOut> output);

    /// <summary>The copy one subtask runs.</summary>
    internal ProcessWindowFunction<TIn, TOut, TKey> CopyForSubtask() => (ProcessWindowFunction<TIn, TOut, TKey>)MemberwiseClone();
}
