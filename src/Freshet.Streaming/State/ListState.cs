namespace Freshet.Streaming.State;

/// <summary>
/// A list of values per key (Flink's <c>ListState</c>), scoped to the key of the record or timer being processed.
/// Use only inside the calls of the function that obtained it.
/// </summary>
public abstract class ListState<T>
{
    /// <summary>The current key's elements in the order they were added; empty when it has none. A copy: later changes to the state do not show in it.</summary>
    public abstract IReadOnlyList<T> Get();

    /// <summary>Appends <paramref name="value"/> to the current key's list.</summary>
    public abstract void Add(T value);

    /// <summary>Appends every element of <paramref name="values"/> in order.</summary>
    public abstract void AddAll(IEnumerable<T> values);

    /// <summary>Replaces the current key's list by <paramref name="values"/> (an empty sequence clears it).</summary>
    public abstract void Update(IEnumerable<T> values);

    /// <summary>Removes the current key's list.</summary>
    public abstract void Clear();

    /// <summary>Whether the current key's list is empty, without copying it (the backends override it; the engine's window operator asks before each firing).</summary>
    internal virtual bool IsEmpty => Get().Count == 0;
}
