using System.Buffers;
using Freshet.Streaming.Serialization;
using RocksDbSharp;

namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// <see cref="ValueState{T}"/> in RocksDB: one entry per key in the state's column family, the value serialized
/// with the descriptor's serializer (behind a stamp when the state has a time-to-live, see <see cref="RocksDbTtl"/>).
/// Reads deserialize a fresh copy, so mutating a read value does not change the state until <see cref="Update"/>
/// (unlike the heap backend, which hands out the stored object). Task thread only.
/// </summary>
internal sealed class RocksDbValueState<TKey, T> : ValueState<T>
    where TKey : notnull
{
    private readonly RocksDbStateStore _store;
    private readonly ColumnFamilyHandle _columnFamily;
    private readonly KeyContext<TKey> _key;
    private readonly RocksDbKeySerializer<TKey> _keys;
    private readonly ISerializer<T> _values;
    private readonly T _default;
    private readonly RocksDbTtl? _ttl;
    private readonly ArrayBufferWriter<byte> _valueBuffer = new(64);

    public RocksDbValueState(RocksDbStateStore store, string stateName, KeyContext<TKey> key, RocksDbKeySerializer<TKey> keys, ISerializer<T> values, T defaultValue, StateTtl? ttl = null)
    {
        _store = store;
        _columnFamily = store.ColumnFamily(stateName);
        _key = key;
        _keys = keys;
        _values = values;
        _default = defaultValue;
        _ttl = ttl is null ? null : new RocksDbTtl(ttl, store, _columnFamily);
    }

    public override bool HasValue => Read() is not null;

    public override T Value => TryGetValue(out var value) ? value : _default;

    public override void Update(T value)
    {
        _valueBuffer.ResetWrittenCount();
        if (_ttl is not null)
        {
            RocksDbTtl.WriteStamp(_valueBuffer.GetSpan(RocksDbTtl.StampBytes), _ttl.BeginAccess());
            _valueBuffer.Advance(RocksDbTtl.StampBytes);
        }

        _values.Serialize(value, _valueBuffer);
        _store.Put(_columnFamily, CurrentStoredKey, _valueBuffer.WrittenSpan);
    }

    public override void Clear() => _store.Remove(_columnFamily, CurrentStoredKey);

    internal override bool TryGetValue(out T value)
    {
        if (Read() is { } bytes)
        {
            value = _values.Deserialize(_ttl is null ? bytes : bytes.AsSpan(RocksDbTtl.StampBytes));
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>The stored bytes of the current key (with their stamp when the state has TTL), or null when absent or expired (then deleted).</summary>
    private byte[]? Read()
    {
        var bytes = _store.Get(_columnFamily, CurrentStoredKey);
        if (_ttl is null || bytes is null)
        {
            return bytes;
        }

        var now = _ttl.BeginAccess();
        if (_ttl.IsExpired(bytes, now))
        {
            _store.Remove(_columnFamily, CurrentStoredKey);
            return null;
        }

        if (_ttl.UpdateOnRead)
        {
            RocksDbTtl.WriteStamp(bytes, now);
            _store.Put(_columnFamily, CurrentStoredKey, bytes);
        }

        return bytes;
    }

    private ReadOnlySpan<byte> CurrentStoredKey =>
        _key.IsSet ? _keys.Serialize(_key.Current) : throw new InvalidOperationException("Keyed state can only be used while a record or timer of a key is processed.");
}
