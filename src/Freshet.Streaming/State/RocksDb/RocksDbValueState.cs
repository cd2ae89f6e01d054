using System.Buffers;
using Freshet.Streaming.Runtime;
using Freshet.Streaming.Serialization;
using RocksDbSharp;

namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// <see cref="ValueState{T}"/> in RocksDB: one entry per key in the state's column family, the value serialized
/// with the descriptor's serializer. Reads deserialize a fresh copy, so mutating a read value does not change the
/// state until <see cref="Update"/> (unlike the heap backend, which hands out the stored object). Task thread only.
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
    private readonly ArrayBufferWriter<byte> _valueBuffer = new(64);

    public RocksDbValueState(RocksDbStateStore store, string stateName, KeyContext<TKey> key, RocksDbKeySerializer<TKey> keys, ISerializer<T> values, T defaultValue)
    {
        _store = store;
        _columnFamily = store.ColumnFamily(stateName);
        _key = key;
        _keys = keys;
        _values = values;
        _default = defaultValue;
    }

    public override bool HasValue => _store.Get(_columnFamily, CurrentStoredKey) is not null;

    public override T Value => _store.Get(_columnFamily, CurrentStoredKey) is { } bytes ? _values.Deserialize(bytes) : _default;

    public override void Update(T value)
    {
        _valueBuffer.ResetWrittenCount();
        _values.Serialize(value, _valueBuffer);
        _store.Put(_columnFamily, CurrentStoredKey, _valueBuffer.WrittenSpan);
    }

    public override void Clear() => _store.Remove(_columnFamily, CurrentStoredKey);

    private ReadOnlySpan<byte> CurrentStoredKey =>
        _key.IsSet ? _keys.Serialize(_key.Current) : throw new InvalidOperationException("Keyed state can only be used while a record or timer of a key is processed.");
}
