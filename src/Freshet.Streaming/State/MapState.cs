namespace Freshet.Streaming.State;

/// <summary>
/// A map from user keys to values per key (Flink's <c>MapState</c>), scoped to the key of the record or timer being
/// processed. Use only inside the calls of the function that obtained it.
/// </summary>
public abstract class MapState<TUserKey, TValue>
    where TUserKey : notnull
{
    /// <summary>Whether the current key's map has no entry.</summary>
    public abstract bool IsEmpty { get; }

    /// <summary>Looks up <paramref name="userKey"/> in the current key's map.</summary>
    public abstract bool TryGetValue(TUserKey userKey, out TValue value);

    /// <summary>Whether the current key's map has <paramref name="userKey"/>.</summary>
    public abstract bool Contains(TUserKey userKey);

    /// <summary>Sets <paramref name="userKey"/> to <paramref name="value"/> in the current key's map.</summary>
    public abstract void Put(TUserKey userKey, TValue value);

    /// <summary>Puts every entry of <paramref name="entries"/>.</summary>
    public abstract void PutAll(IEnumerable<KeyValuePair<TUserKey, TValue>> entries);

    /// <summary>Removes <paramref name="userKey"/> from the current key's map; false when it was absent.</summary>
    public abstract bool Remove(TUserKey userKey);

    /// <summary>The current key's entries (a copy, in no particular order).</summary>
    public abstract IReadOnlyList<KeyValuePair<TUserKey, TValue>> Entries();

    /// <summary>Removes the current key's whole map.</summary>
    public abstract void Clear();
}
