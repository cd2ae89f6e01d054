namespace Freshet.Streaming.State;

/// <summary>
/// One accumulator per key that added values are aggregated into with the descriptor's
/// <see cref="Functions.IAggregateFunction{TIn, TAcc, TOut}"/> (Flink's <c>AggregatingState</c>), scoped to the key
/// of the record or timer being processed.
/// </summary>
public abstract class AggregatingState<TIn, TOut>
{
    /// <summary>The result for the current key's accumulator, if any value was added since it was last cleared.</summary>
    public abstract bool TryGet(out TOut result);

    /// <summary>The result for the current key's accumulator, or <c>default</c> when it has none.</summary>
    public abstract TOut Get();

    /// <summary>Adds <paramref name="value"/> to the current key's accumulator (created on first add).</summary>
    public abstract void Add(TIn value);

    /// <summary>Removes the current key's accumulator.</summary>
    public abstract void Clear();
}
