namespace Freshet.Streaming.State;

/// <summary>
/// One value per key that every added value is folded into with the descriptor's reduce function (Flink's
/// <c>ReducingState</c>), scoped to the key of the record or timer being processed.
/// </summary>
public abstract class ReducingState<T>
{
    /// <summary>The current key's reduced value, if any value was added since it was last cleared.</summary>
    public abstract bool TryGet(out T value);

    /// <summary>The current key's reduced value, or <c>default</c> when it has none.</summary>
    public abstract T Get();

    /// <summary>Folds <paramref name="value"/> in: the first value is kept as it is, later ones as <c>reduce(current, value)</c>.</summary>
    public abstract void Add(T value);

    /// <summary>Removes the current key's value.</summary>
    public abstract void Clear();
}
