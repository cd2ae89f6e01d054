namespace Freshet.Streaming.Functions;

/// <summary>
/// Incremental aggregation with an accumulator (Flink's <c>AggregateFunction</c>): the window keeps one
/// accumulator per key and window, not the records. Implement as a sealed class (or struct) so that the per-record
/// call devirtualises; keep <typeparamref name="TAcc"/> a small struct to avoid allocating per window.
/// </summary>
/// <typeparam name="TIn">Input records.</typeparam>
/// <typeparam name="TAcc">The accumulator.</typeparam>
/// <typeparam name="TOut">The result.</typeparam>
public interface IAggregateFunction<in TIn, TAcc, out TOut>
{
    /// <summary>A new, empty accumulator.</summary>
    TAcc CreateAccumulator();

    /// <summary>Adds <paramref name="value"/> and returns the updated accumulator.</summary>
    TAcc Add(TIn value, TAcc accumulator);

    /// <summary>The result for an accumulator.</summary>
    TOut GetResult(TAcc accumulator);

    /// <summary>Combines two accumulators (needed by merging windows, later).</summary>
    TAcc Merge(TAcc a, TAcc b);
}
