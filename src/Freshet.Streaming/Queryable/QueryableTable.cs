namespace Freshet.Streaming.Queryable;

/// <summary>
/// A queryable table of a running job seen without its types (what the REST API uses); cast to
/// <see cref="QueryableTable{TKey, TValue}"/> or call <see cref="Jobs.JobHandle.GetQueryableTable{TKey, TValue}"/> for
/// typed reads. See <see cref="QueryableTable{TKey, TValue}"/> for the guarantees. Thread-safe.
/// </summary>
public abstract class QueryableTable
{
    private protected QueryableTable(string name)
    {
        Name = name;
    }

    /// <summary>The table's name, unique within its job.</summary>
    public string Name { get; }

    /// <summary>The key type.</summary>
    public abstract Type KeyType { get; }

    /// <summary>The value type.</summary>
    public abstract Type ValueType { get; }

    /// <summary>Whether keys are ordered, so that scans work (strings ordinally; other types by <c>IComparable</c>).</summary>
    public abstract bool IsOrdered { get; }

    /// <summary>The value of <paramref name="key"/> (an instance of <see cref="KeyType"/>), if it has one.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not a <see cref="KeyType"/>.</exception>
    public abstract bool TryGetValue(object key, out object? value);

    /// <summary>
    /// Up to <paramref name="limit"/> entries with keys from <paramref name="from"/> to <paramref name="to"/> (inclusive;
    /// null = unbounded), in key order.
    /// </summary>
    public abstract IReadOnlyList<KeyValuePair<object, object?>> ScanValues(object? from, object? to, int limit);

    /// <summary>The number of keys with a value, summed over the subtasks (each counted at its own moment).</summary>
    public abstract long CountKeys();
}
