using System.Buffers;
using System.Buffers.Binary;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Runtime;
using Freshet.Streaming.Serialization;
using RocksDbSharp;

namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// <see cref="ListState{T}"/> in RocksDB: the whole list of a key in one entry (<c>int32 count</c>, then
/// <c>int32 length + bytes</c> per element). <see cref="Add"/> reads and rewrites the entry, so it costs O(list size);
/// keep lists short or use map state. Task thread only.
/// </summary>
internal sealed class RocksDbListState<TKey, T>(RocksDbStateStore store, string name, KeyContext<TKey> key, RocksDbKeySerializer<TKey> keys, ISerializer<T> values)
    : ListState<T>
    where TKey : notnull
{
    private readonly ColumnFamilyHandle _columnFamily = store.ColumnFamily(name);
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly ArrayBufferWriter<byte> _element = new(64);

    public override IReadOnlyList<T> Get() => Read();

    public override void Add(T value)
    {
        var list = Read();
        list.Add(value);
        Write(list);
    }

    public override void AddAll(IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = Read();
        list.AddRange(values);
        Write(list);
    }

    public override void Update(IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Write([.. values]);
    }

    public override void Clear() => store.Remove(_columnFamily, StoredKey);

    private ReadOnlySpan<byte> StoredKey => RocksDbStateKeys.Current(key, keys);

    private List<T> Read()
    {
        var bytes = store.Get(_columnFamily, StoredKey);
        var list = new List<T>();
        if (bytes is null)
        {
            return list;
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(bytes);
        var position = 4;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(position));
            list.Add(values.Deserialize(bytes.AsSpan(position + 4, length)));
            position += 4 + length;
        }

        return list;
    }

    private void Write(List<T> list)
    {
        if (list.Count == 0)
        {
            Clear();
            return;
        }

        _buffer.ResetWrittenCount();
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), list.Count);
        _buffer.Advance(4);
        foreach (var element in list)
        {
            _element.ResetWrittenCount();
            values.Serialize(element, _element);
            BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), _element.WrittenCount);
            _buffer.Advance(4);
            _buffer.Write(_element.WrittenSpan);
        }

        store.Put(_columnFamily, StoredKey, _buffer.WrittenSpan);
    }
}

/// <summary>
/// <see cref="MapState{TUserKey, TValue}"/> in RocksDB: one entry per (key, user key), stored at
/// <c>[key group][int32 key length][key][user key]</c>, so a key's map is one contiguous range read with a prefix scan.
/// Task thread only.
/// </summary>
internal sealed class RocksDbMapState<TKey, TUserKey, TValue>(RocksDbStateStore store, string name, KeyContext<TKey> key, RocksDbKeySerializer<TKey> keys, ISerializer<TUserKey> userKeys, ISerializer<TValue> values)
    : MapState<TUserKey, TValue>
    where TKey : notnull
    where TUserKey : notnull
{
    private readonly ColumnFamilyHandle _columnFamily = store.ColumnFamily(name);
    private readonly ArrayBufferWriter<byte> _buffer = new(128);
    private readonly ArrayBufferWriter<byte> _value = new(128);

    public override bool IsEmpty
    {
        get
        {
            var prefix = Prefix();
            using var iterator = store.NewIterator(_columnFamily);
            iterator.Seek(prefix);
            return !(iterator.Valid() && iterator.GetKeySpan().StartsWith(prefix));
        }
    }

    public override bool TryGetValue(TUserKey userKey, out TValue value)
    {
        if (store.Get(_columnFamily, EntryKey(userKey)) is { } bytes)
        {
            value = values.Deserialize(bytes);
            return true;
        }

        value = default!;
        return false;
    }

    public override bool Contains(TUserKey userKey) => store.Get(_columnFamily, EntryKey(userKey)) is not null;

    public override void Put(TUserKey userKey, TValue value)
    {
        _value.ResetWrittenCount();
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
        var entryKey = EntryKey(userKey);
        if (store.Get(_columnFamily, entryKey) is null)
        {
            return false;
        }

        store.Remove(_columnFamily, entryKey);
        return true;
    }

    public override IReadOnlyList<KeyValuePair<TUserKey, TValue>> Entries()
    {
        var prefix = Prefix();
        var entries = new List<KeyValuePair<TUserKey, TValue>>();
        using var iterator = store.NewIterator(_columnFamily);
        for (iterator.Seek(prefix); iterator.Valid() && iterator.GetKeySpan().StartsWith(prefix); iterator.Next())
        {
            entries.Add(new(userKeys.Deserialize(iterator.GetKeySpan()[prefix.Length..]), values.Deserialize(iterator.GetValueSpan())));
        }

        return entries;
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
