namespace Freshet.Streaming.Queryable;

/// <summary>The order in which a queryable table's scans return keys. Pure; thread-safe.</summary>
internal static class QueryableKeyOrder
{
    /// <summary>
    /// Ordinal for strings (the same in every culture and process), <see cref="Comparer{T}.Default"/> for types that
    /// implement <see cref="IComparable{T}"/> or <see cref="IComparable"/>, and null (no scans) otherwise.
    /// </summary>
    public static IComparer<TKey>? Of<TKey>()
    {
        if (typeof(TKey) == typeof(string))
        {
            return (IComparer<TKey>)(object)StringComparer.Ordinal;
        }

        return typeof(IComparable<TKey>).IsAssignableFrom(typeof(TKey)) || typeof(IComparable).IsAssignableFrom(typeof(TKey))
            ? Comparer<TKey>.Default
            : null;
    }
}
