namespace Freshet.Streaming.State.Heap;

/// <summary>
/// <see cref="ReducingState{T}"/> on the heap, over a <see cref="HeapValueStore{TKey, T}"/> (snapshot entries: the
/// reduced value per key). Adding reads the current value (an expired one counts as absent) and writes the reduced
/// one, which restarts its time-to-live. Task thread only.
/// </summary>
internal sealed class HeapReducingState<TKey, T> : ReducingState<T>, IHeapKeyedState
    where TKey : notnull
{
    private readonly Func<T, T, T> _reduce;

    public HeapReducingState(string name, KeyContext<TKey> key, StateTtl? ttl, Func<T, T, T> reduce)
    {
        Store = new HeapValueStore<TKey, T>(name, key, ttl);
        _reduce = reduce;
    }

    /// <summary>The storage, for snapshots.</summary>
    public HeapValueStore<TKey, T> Store { get; }

    public string Name => Store.Name;

    public int KeyCount => Store.KeyCount;

    public override bool TryGet(out T value) => Store.TryRead(out value);

    public override T Get() => Store.TryRead(out var value) ? value : default!;

    public override void Add(T value)
    {
        var now = Store.BeginAccess();
        Store.WriteAt(now, Store.TryReadAt(now, out var current) ? _reduce(current, value) : value);
    }

    public override void Clear() => Store.Remove();
}
