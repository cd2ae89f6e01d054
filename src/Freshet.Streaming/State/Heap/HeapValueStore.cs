using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    /// <summary>
    /// One access replacing the current key's value by <paramref name="update"/>: without a time-to-live an existing
    /// entry is replaced in place (one hash lookup); a new key, or a state with TTL, takes a read and a write.
    /// </summary>
    public T Apply(IValueUpdate<T> update)
    {
        if (Ttl is not null)
        {
            var now = BeginAccess();
            var value = TryReadAt(now, out var current) ? update.Next(current) : update.Initial();
            WriteAt(now, value);
            return value;
        }

        var key = CurrentKey;
        ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(Store, key);
        if (!Unsafe.IsNullRef(ref slot))
        {
            var next = update.Next(slot.Value);
            slot = new StampedValue<T>(next, 0);
            return next;
        }

        var initial = update.Initial();
        Store.Add(key, new StampedValue<T>(initial, 0));
        return initial;
    }

    /// <summary>One access removing the current key's value.</summary>
    public void Remove() => RemoveCurrent();

    protected override bool PurgeExpired(StampedValue<T> entry, long nowMs) => Ttl!.IsExpired(entry.StampMs, nowMs);
}
