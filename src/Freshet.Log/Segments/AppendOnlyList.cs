namespace Freshet.Log.Segments;

/// <summary>
/// A growable list with one writer and any number of lock-free readers: the writer stores an
/// element, then publishes the new count; readers read the count first, then the array, so the
/// array they see always holds at least <c>count</c> valid elements.
/// Thread-safety: <see cref="Add"/> and <see cref="Clear"/> from one thread at a time (the owner's
/// append lock); reads from any thread.
/// </summary>
internal sealed class AppendOnlyList<T>
    where T : struct
{
    private T[] _items;
    private int _count;

    public AppendOnlyList(int capacity = 16)
    {
        _items = new T[Math.Max(1, capacity)];
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>A consistent view for reading: the first <c>Count</c> items of <c>Items</c> are valid.</summary>
    public (T[] Items, int Count) Snapshot()
    {
        var count = Volatile.Read(ref _count);
        var items = Volatile.Read(ref _items);
        return (items, count);
    }

    public void Add(T item)
    {
        var count = _count;
        var items = _items;
        if (count == items.Length)
        {
            var grown = new T[items.Length * 2];
            Array.Copy(items, grown, count);
            grown[count] = item;
            Volatile.Write(ref _items, grown);
        }
        else
        {
            items[count] = item;
        }

        Volatile.Write(ref _count, count + 1);
    }

    /// <summary>Drops the elements from <paramref name="newCount"/> on (used when a segment is truncated).</summary>
    public void Truncate(int newCount)
    {
        if (newCount < _count)
        {
            Volatile.Write(ref _count, newCount);
        }
    }

    public void Clear() => Volatile.Write(ref _count, 0);
}
