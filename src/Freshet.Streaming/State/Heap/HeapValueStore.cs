namespace Freshet.Streaming.State.Heap;

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

    /// <summary>One access reading the current key's value.</summary>
    public bool TryRead(out T value) => TryReadAt(BeginAccess(), out value);

    /// <summary>Reads the current key's value within an access begun at <paramref name="now"/> (restamps it with update-on-read).</summary>
    public bool TryReadAt(long now, out T value)
    {
        if (!TryGetCurrent(now, out var entry))
        {
            value = default!;
            return false;
        }

        if (Ttl is { UpdateOnRead: true })
        {
            Store[CurrentKey] = entry with { StampMs = now };
        }

        value = entry.Value;
        return true;
    }

    /// <summary>One access writing the current key's value.</summary>
    public void Write(T value) => WriteAt(BeginAccess(), value);

    /// <summary>Writes the current key's value within an access begun at <paramref name="now"/>.</summary>
    public void WriteAt(long now, T value) => Store[CurrentKey] = new StampedValue<T>(value, now);

    /// <summary>One access removing the current key's value.</summary>
    public void Remove() => RemoveCurrent();

    protected override bool PurgeExpired(StampedValue<T> entry, long nowMs) => Ttl!.IsExpired(entry.StampMs, nowMs);
}
