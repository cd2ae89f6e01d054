using System.Buffers;
using System.Buffers.Binary;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;
using RocksDbSharp;

namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// <see cref="ListState{T}"/> in RocksDB: the whole list of a key in one entry (<c>int32 count</c>, then
/// <c>int32 length + bytes</c> per element; with a time-to-live each element's bytes start with its own stamp, see
/// <see cref="RocksDbTtl"/>). <see cref="Add"/> reads and rewrites the entry (elements are copied as bytes, not
/// deserialized), so it costs O(list size); keep lists short or use map state. Task thread only.
/// </summary>
internal sealed class RocksDbListState<TKey, T>(RocksDbStateStore store, string name, KeyContext<TKey> key, RocksDbKeySerializer<TKey> keys, ISerializer<T> values, StateTtl? ttl = null)
    : ListState<T>
    where TKey : notnull
{
    private readonly ColumnFamilyHandle _columnFamily = store.ColumnFamily(name);
    private readonly RocksDbTtl? _ttl = ttl is null ? null : new RocksDbTtl(ttl, store, store.ColumnFamily(name), PruneList);
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly ArrayBufferWriter<byte> _element = new(64);

    public override IReadOnlyList<T> Get()
    {
        var now = BeginAccess();
        var elements = ReadElements(now, out var changed);
        if (_ttl is { UpdateOnRead: true })
        {
            foreach (var element in elements)
            {
                RocksDbTtl.WriteStamp(element, now);
            }

            changed |= elements.Count > 0;
        }

        if (changed)
        {
            Write(elements);
        }

        var skip = _ttl is null ? 0 : RocksDbTtl.StampBytes;
        return [.. elements.Select(e => values.Deserialize(e.AsSpan(skip)))];
    }

    public override void Add(T value)
    {
        var now = BeginAccess();
        var elements = ReadElements(now, out _);
        elements.Add(Encode(value, now));
        Write(elements);
    }

    public override void AddAll(IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var now = BeginAccess();
        var elements = ReadElements(now, out _);
        elements.AddRange(values.Select(v => Encode(v, now)));
        Write(elements);
    }

    public override void Update(IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var now = BeginAccess();
        Write([.. values.Select(v => Encode(v, now))]);
    }

    public override void Clear() => store.Remove(_columnFamily, StoredKey);

    private ReadOnlySpan<byte> StoredKey => RocksDbStateKeys.Current(key, keys);

    private long BeginAccess() => _ttl?.BeginAccess() ?? 0;

    /// <summary>The stored elements of the current key (each with its stamp under TTL), without the expired ones; <paramref name="changed"/> when some expired.</summary>
    private List<byte[]> ReadElements(long now, out bool changed)
    {
        changed = false;
        var bytes = store.Get(_columnFamily, StoredKey);
        if (bytes is null)
        {
            return [];
        }

        var elements = Split(bytes);
        if (_ttl is not null)
        {
            changed = elements.RemoveAll(e => _ttl.IsExpired(e, now)) > 0;
        }

        return elements;
    }

    /// <summary>Incremental cleanup of one stored list: drops expired elements, deletes the entry when none is left.</summary>
    private static byte[]? PruneList(RocksDbTtl ttl, byte[] stored, long now, out bool delete)
    {
        var elements = Split(stored);
        var expired = elements.RemoveAll(e => ttl.IsExpired(e, now));
        delete = elements.Count == 0;
        if (expired == 0 || delete)
        {
            return null;
        }

        var framed = new ArrayBufferWriter<byte>();
        Frame(elements, framed);
        return framed.WrittenSpan.ToArray();
    }

    private static List<byte[]> Split(byte[] bytes)
    {
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes);
        var elements = new List<byte[]>(count);
        var position = 4;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(position));
            elements.Add(bytes.AsSpan(position + 4, length).ToArray());
            position += 4 + length;
        }

        return elements;
    }

    /// <summary>One element's stored bytes: its stamp (under TTL), then the serialized value.</summary>
    private byte[] Encode(T value, long now)
    {
        _element.ResetWrittenCount();
        if (_ttl is not null)
        {
            RocksDbTtl.WriteStamp(_element.GetSpan(RocksDbTtl.StampBytes), now);
            _element.Advance(RocksDbTtl.StampBytes);
        }

        values.Serialize(value, _element);
        return _element.WrittenSpan.ToArray();
    }

    /// <summary>Writes the list entry of <paramref name="elements"/>: int32 count, then int32 length and bytes per element.</summary>
    private static void Frame(List<byte[]> elements, ArrayBufferWriter<byte> output)
    {
        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), elements.Count);
        output.Advance(4);
        foreach (var element in elements)
        {
            BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), element.Length);
            output.Advance(4);
            output.Write(element);
        }
    }

    private void Write(List<byte[]> elements)
    {
        if (elements.Count == 0)
        {
            Clear();
            return;
        }

        _buffer.ResetWrittenCount();
        Frame(elements, _buffer);
        store.Put(_columnFamily, StoredKey, _buffer.WrittenSpan);
    }
}

/// <summary>
/// <see cref="MapState{TUserKey, TValue}"/> in RocksDB: one entry per (key, user key), stored at
/// <c>[key group][int32 key length][key][user key]</c>, so a key's map is one contiguous range read with a prefix scan.
/// With a time-to-live each entry's value starts with its own stamp (<see cref="RocksDbTtl"/>). Task thread only.
/// </summary>
internal sealed class RocksDbMapState<TKey, TUserKey, TValue>(RocksDbStateStore store, string name, KeyContext<TKey> key, RocksDbKeySerializer<TKey> keys, ISerializer<TUserKey> userKeys, ISerializer<TValue> values, StateTtl? ttl = null)
    : MapState<TUserKey, TValue>
    where TKey : notnull
    where TUserKey : notnull
{
    private readonly ColumnFamilyHandle _columnFamily = store.ColumnFamily(name);
    private readonly RocksDbTtl? _ttl = ttl is null ? null : new RocksDbTtl(ttl, store, store.ColumnFamily(name));
    private readonly ArrayBufferWriter<byte> _buffer = new(128);
    private readonly ArrayBufferWriter<byte> _value = new(128);

    public override bool IsEmpty => Scan(firstOnly: true).Count == 0;

    public override bool TryGetValue(TUserKey userKey, out TValue value)
    {
        if (ReadEntry(userKey) is { } bytes)
        {
            value = values.Deserialize(_ttl is null ? bytes : bytes.AsSpan(RocksDbTtl.StampBytes));
            return true;
        }

        value = default!;
        return false;
    }

    public override bool Contains(TUserKey userKey) => ReadEntry(userKey) is not null;

    public override void Put(TUserKey userKey, TValue value)
    {
        var now = BeginAccess();
        _value.ResetWrittenCount();
        if (_ttl is not null)
        {
            RocksDbTtl.WriteStamp(_value.GetSpan(RocksDbTtl.StampBytes), now);
            _value.Advance(RocksDbTtl.StampBytes);
        }

        values.Serialize(value, _value);
        store.Put(_columnFamily, EntryKey(userKey), _value.WrittenSpan);
    }

    public override void PutAll(IEnumerable<KeyValuePair<TUserKey, TValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (userKey, value) in entries)
        {
            Put(userKey, value);
        }
    }

    public override bool Remove(TUserKey userKey)
    {
        if (ReadEntry(userKey, refresh: false) is null)
        {
            return false;
        }

        store.Remove(_columnFamily, EntryKey(userKey));
        return true;
    }

    public override IReadOnlyList<KeyValuePair<TUserKey, TValue>> Entries()
    {
        var skip = _ttl is null ? 0 : RocksDbTtl.StampBytes;
        return [.. Scan(firstOnly: false).Select(e => KeyValuePair.Create(userKeys.Deserialize(e.UserKey), values.Deserialize(e.Value.AsSpan(skip))))];
    }

    public override void Clear()
    {
        var prefix = Prefix();
        var doomed = new List<byte[]>();
        using (var iterator = store.NewIterator(_columnFamily))
        {
            for (iterator.Seek(prefix); iterator.Valid() && iterator.GetKeySpan().StartsWith(prefix); iterator.Next())
            {
                doomed.Add(iterator.Key());
            }
        }

        foreach (var entryKey in doomed)
        {
            store.Remove(_columnFamily, entryKey);
        }
    }

    private long BeginAccess() => _ttl?.BeginAccess() ?? 0;

    /// <summary>The stored value of (current key, <paramref name="userKey"/>), or null when absent or expired (then deleted); restamped on read with update-on-read.</summary>
    private byte[]? ReadEntry(TUserKey userKey, bool refresh = true)
    {
        var now = BeginAccess();
        var bytes = store.Get(_columnFamily, EntryKey(userKey));
        if (_ttl is null || bytes is null)
        {
            return bytes;
        }

        if (_ttl.IsExpired(bytes, now))
        {
            store.Remove(_columnFamily, EntryKey(userKey));
            return null;
        }

        if (refresh && _ttl.UpdateOnRead)
        {
            RocksDbTtl.WriteStamp(bytes, now);
            store.Put(_columnFamily, EntryKey(userKey), bytes);
        }

        return bytes;
    }

    /// <summary>The current key's live entries (user key bytes, stored value); expired ones are deleted, the rest restamped with update-on-read.</summary>
    private List<(byte[] UserKey, byte[] Value)> Scan(bool firstOnly)
    {
        var now = BeginAccess();
        var prefix = Prefix();
        var live = new List<(byte[] UserKey, byte[] Value)>();
        var expired = new List<byte[]>();
        using (var iterator = store.NewIterator(_columnFamily))
        {
            for (iterator.Seek(prefix); iterator.Valid() && iterator.GetKeySpan().StartsWith(prefix); iterator.Next())
            {
                var value = iterator.Value();
                if (_ttl is not null && _ttl.IsExpired(value, now))
                {
                    expired.Add(iterator.Key());
                    continue;
                }

                live.Add((iterator.GetKeySpan()[prefix.Length..].ToArray(), value));
                if (firstOnly)
                {
                    break;
                }
            }
        }

        foreach (var entryKey in expired)
        {
            store.Remove(_columnFamily, entryKey);
        }

        if (_ttl is { UpdateOnRead: true } && !firstOnly)
        {
            foreach (var (userKey, value) in live)
            {
                RocksDbTtl.WriteStamp(value, now);
                store.Put(_columnFamily, [.. prefix, .. userKey], value);
            }
        }

        return live;
    }

    /// <summary><c>[key group][int32 key length][key]</c> of the current key (a fresh array, for scans).</summary>
    private byte[] Prefix()
    {
        _buffer.ResetWrittenCount();
        WritePrefix();
        return _buffer.WrittenSpan.ToArray();
    }

    /// <summary>The stored key of (current key, <paramref name="userKey"/>); valid until the next call. No allocation.</summary>
    private ReadOnlySpan<byte> EntryKey(TUserKey userKey)
    {
        _buffer.ResetWrittenCount();
        WritePrefix();
        userKeys.Serialize(userKey, _buffer);
        return _buffer.WrittenSpan;
    }

    private void WritePrefix()
    {
        var stored = RocksDbStateKeys.Current(key, keys);
        const int Group = RocksDbStateStore.KeyGroupPrefixBytes;
        var span = _buffer.GetSpan(stored.Length + 4);
        stored[..Group].CopyTo(span);
        BinaryPrimitives.WriteInt32BigEndian(span[Group..], stored.Length - Group);
        stored[Group..].CopyTo(span[(Group + 4)..]);
        _buffer.Advance(stored.Length + 4);
    }
}

/// <summary>
/// Reducing and aggregating state in RocksDB: one accumulator per key in a value state, folded on each add.
/// Task thread only.
/// </summary>
internal sealed class RocksDbAggregatingState<TKey, TIn, TAcc, TOut>(RocksDbValueState<TKey, TAcc> accumulators, IAggregateFunction<TIn, TAcc, TOut> function)
    : AggregatingState<TIn, TOut>
    where TKey : notnull
{
    public override bool TryGet(out TOut result)
    {
        if (accumulators.HasValue)
        {
            result = function.GetResult(accumulators.Value);
            return true;
        }

        result = default!;
        return false;
    }

    public override TOut Get() => TryGet(out var result) ? result : default!;

    public override void Add(TIn value) =>
        accumulators.Update(function.Add(value, accumulators.HasValue ? accumulators.Value : function.CreateAccumulator()));

    public override void Clear() => accumulators.Clear();
}

/// <summary>See <see cref="RocksDbAggregatingState{TKey, TIn, TAcc, TOut}"/>.</summary>
internal sealed class RocksDbReducingState<TKey, T>(RocksDbValueState<TKey, T> value, Func<T, T, T> reduce) : ReducingState<T>
    where TKey : notnull
{
    public override bool TryGet(out T result)
    {
        if (value.HasValue)
        {
            result = value.Value;
            return true;
        }

        result = default!;
        return false;
    }

    public override T Get() => TryGet(out var result) ? result : default!;

    public override void Add(T added) => value.Update(value.HasValue ? reduce(value.Value, added) : added);

    public override void Clear() => value.Clear();
}

/// <summary>The stored key of the current key, or the error for state used outside a keyed call.</summary>
internal static class RocksDbStateKeys
{
    public static ReadOnlySpan<byte> Current<TKey>(KeyContext<TKey> key, RocksDbKeySerializer<TKey> keys)
        where TKey : notnull =>
        key.IsSet ? keys.Serialize(key.Current) : throw new InvalidOperationException("Keyed state can only be used while a record or timer of a key is processed.");
}
