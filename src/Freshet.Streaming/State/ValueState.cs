namespace Freshet.Streaming.State;

/// <summary>
/// One value per key (Flink's <c>ValueState</c>), scoped to the key of the record or timer being processed.
/// Use only inside the calls of the function that obtained it.
/// </summary>
public abstract class ValueState<T>
{
    /// <summary>Whether the current key has a value.</summary>
    public abstract bool HasValue { get; }

    /// <summary>The current key's value, or the descriptor's default when it has none.</summary>
    public abstract T Value { get; }

    /// <summary>Sets the current key's value.</summary>
    public abstract void Update(T value);

    /// <summary>Removes the current key's value.</summary>
    public abstract void Clear();

    /// <summary>
    /// The current key's value, if it has one, in one read (the engine's own operators use it on every record; the
    /// backends override it, so that RocksDB reads and deserializes once).
    /// </summary>
    internal virtual bool TryGetValue(out T value)
    {
        if (HasValue)
        {
            value = Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>
    /// Replaces the current key's value by <see cref="IValueUpdate{T}.Next"/> of it (or sets
    /// <see cref="IValueUpdate{T}.Initial"/> when it has none) and returns the new value: a read and a write, which the
    /// heap does in one dictionary lookup (a rolling aggregate's per-record access).
    /// </summary>
    internal virtual T Apply(IValueUpdate<T> update)
    {
        var next = TryGetValue(out var current) ? update.Next(current) : update.Initial();
        Update(next);
        return next;
    }
}
