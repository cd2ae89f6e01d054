namespace Freshet.Streaming.State.Heap;

/// <summary>
/// <see cref="ValueState{T}"/> on the heap: one <see cref="StampedValue{T}"/> per key (see
/// <see cref="HeapKeyedState{TKey, TEntry}"/> for snapshots and TTL). Task thread only.
/// </summary>
internal sealed class HeapValueState<TKey, T> : ValueState<T>, IHeapKeyedState
    where TKey : notnull
{
    private readonly HeapValueStore<TKey, T> _storage;
    private readonly T _default;

    public HeapValueState(KeyContext<TKey> key, T defaultValue, string name = "value", StateTtl? ttl = null)
    {
        _storage = new HeapValueStore<TKey, T>(name, key, ttl);
        _default = defaultValue;
    }

    /// <summary>The storage, for snapshots: entries are <see cref="StampedValue{T}"/> per key.</summary>
    public HeapValueStore<TKey, T> Store => _storage;

    public string Name => _storage.Name;

    public int KeyCount => _storage.KeyCount;

    public override bool HasValue => _storage.TryRead(out _);

    public override T Value => _storage.TryRead(out var value) ? value : _default;

    public override void Update(T value) => _storage.Write(value);

    internal override bool TryGetValue(out T value) => _storage.TryRead(out value);

    internal override T Apply(IValueUpdate<T> update) => _storage.Apply(update);

    public override void Clear() => _storage.Remove();
}
