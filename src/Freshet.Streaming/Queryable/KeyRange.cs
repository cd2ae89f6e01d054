namespace Freshet.Streaming.Queryable;

/// <summary>
/// The keys a <see cref="QueryableTable{TKey, TValue}.Scan"/> visits: from <see cref="From"/> to <see cref="To"/>,
/// both inclusive, each bound optional (absent = unbounded on that side), in the table's key order. Made by
/// <see cref="KeyRange"/>'s factories (<c>KeyRange.Between("a", "m")</c>); <c>default</c> is every key. Immutable.
/// </summary>
/// <typeparam name="TKey">The table's key type.</typeparam>
public readonly record struct KeyRange<TKey>
    where TKey : notnull
{
    internal KeyRange(bool hasFrom, TKey from, bool hasTo, TKey to)
    {
        HasFrom = hasFrom;
        From = from;
        HasTo = hasTo;
        To = to;
    }

    /// <summary>Whether the range has a lower bound.</summary>
    public bool HasFrom { get; }

    /// <summary>The lower bound (inclusive) when <see cref="HasFrom"/>.</summary>
    public TKey From { get; }

    /// <summary>Whether the range has an upper bound.</summary>
    public bool HasTo { get; }

    /// <summary>The upper bound (inclusive) when <see cref="HasTo"/>.</summary>
    public TKey To { get; }

    /// <summary>Whether <paramref name="key"/> is in the range under <paramref name="comparer"/>.</summary>
    public bool Contains(TKey key, IComparer<TKey> comparer)
    {
        ArgumentNullException.ThrowIfNull(comparer);
        return (!HasFrom || comparer.Compare(key, From) >= 0) && (!HasTo || comparer.Compare(key, To) <= 0);
    }

    /// <summary>The range as text, <c>[from, to]</c> with <c>*</c> for an absent bound.</summary>
    public override string ToString() => $"[{(HasFrom ? From : "*")}, {(HasTo ? To : "*")}]";
}

/// <summary>Makes <see cref="KeyRange{TKey}"/> values with the key type inferred.</summary>
public static class KeyRange
{
    /// <summary>Every key.</summary>
    public static KeyRange<TKey> All<TKey>()
        where TKey : notnull => default;

    /// <summary>Keys from <paramref name="from"/> to <paramref name="to"/>, both inclusive.</summary>
    public static KeyRange<TKey> Between<TKey>(TKey from, TKey to)
        where TKey : notnull => new(true, from, true, to);

    /// <summary>Keys greater than or equal to <paramref name="from"/>.</summary>
    public static KeyRange<TKey> AtLeast<TKey>(TKey from)
        where TKey : notnull => new(true, from, false, default!);

    /// <summary>Keys less than or equal to <paramref name="to"/>.</summary>
    public static KeyRange<TKey> AtMost<TKey>(TKey to)
        where TKey : notnull => new(false, default!, true, to);
}
