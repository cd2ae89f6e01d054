namespace Freshet.Streaming.Runtime;

/// <summary>
/// The per-key store of one stamped value, shared by the value, reducing and aggregating heap states; snapshot entries
/// are <see cref="StampedValue{T}"/> per key. Task thread only.
/// </summary>
internal sealed class HeapValueStore<TKey, T> : HeapKeyedState<TKey, StampedValue<T>>
    where TKey : notnull
{
    public HeapValueStore(string name, KeyContext<TKey> key, StateTtl? ttl)
        : base(name, key, ttl)
    {
    }

    public bool TryRead(out T value)
    {
        if (!TryGetCurrent(out var entry))
        {
            value = default!;
            return false;
        }

        if (Ttl is { UpdateOnRead: true })
        {
            Store[CurrentKey] = entry with { StampMs = Ttl.Now };
        }

        value = entry.Value;
        return true;
    }

    public void Write(T value)
    {
        OnBlindAccess();
        Store[CurrentKey] = new StampedValue<T>(value, StampNow);
    }

    public void Remove()
    {
        OnBlindAccess();
        Store.Remove(CurrentKey);
    }

    protected override bool PurgeExpired(StampedValue<T> entry, long nowMs) => Ttl!.IsExpired(entry.StampMs, nowMs);
}
