namespace Freshet.Streaming.Functions;

/// <summary>
/// A window function over non-keyed windows (<c>WindowAll</c>): sees every record of a window (or the single
/// pre-aggregated result) and the window's bounds. Results get the event time <c>window.End − 1</c>. Runs at
/// parallelism 1, on that subtask's task thread only.
/// </summary>
public abstract class ProcessAllWindowFunction<TIn, TOut>
{
    /// <summary>Computes the results of one window.</summary>
    public abstract void Process(ProcessWindowContext context, IReadOnlyList<TIn> elements, Collector<TOut> output);
}
