using System.Buffers;
using System.Buffers.Binary;
using Freshet.Streaming.Keys;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// Builds the stored key of the current key: <c>[key group, 2 bytes big-endian][serialized key]</c>. The bytes of
/// the last key are cached, because a keyed operator reads and writes state for the same key several times per
/// record. Task thread only.
/// </summary>
internal sealed class RocksDbKeySerializer<TKey>
    where TKey : notnull
{
    private readonly ISerializer<TKey> _serializer;
    private readonly Func<TKey, int> _keyGroupOf;
    private readonly ArrayBufferWriter<byte> _buffer = new(64);
    private TKey? _cachedKey;
    private bool _hasCached;

    /// <summary>Keys placed in their <see cref="KeyHash{TKey}"/> key group.</summary>
    public RocksDbKeySerializer(ISerializer<TKey> serializer, int maxParallelism)
        : this(serializer, key => KeyGroups.Of(KeyHash<TKey>.Of(key), maxParallelism))
    {
    }

    /// <summary>Keys placed in the key group <paramref name="keyGroupOf"/> gives (for composite keys, their record key's).</summary>
    public RocksDbKeySerializer(ISerializer<TKey> serializer, Func<TKey, int> keyGroupOf)
    {
        _serializer = serializer;
        _keyGroupOf = keyGroupOf;
    }

    /// <summary>The stored key of <paramref name="key"/>; valid until the next call.</summary>
    public ReadOnlySpan<byte> Serialize(TKey key)
    {
        if (_hasCached && EqualityComparer<TKey>.Default.Equals(_cachedKey, key))
        {
            return _buffer.WrittenSpan;
        }

        _buffer.ResetWrittenCount();
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(RocksDbStateStore.KeyGroupPrefixBytes), (ushort)_keyGroupOf(key));
        _buffer.Advance(RocksDbStateStore.KeyGroupPrefixBytes);
        _serializer.Serialize(key, _buffer);
        _cachedKey = key;
        _hasCached = true;
        return _buffer.WrittenSpan;
    }

    /// <summary>The key stored in <paramref name="storedKey"/> (a key written by <see cref="Serialize"/>).</summary>
    public TKey Deserialize(ReadOnlySpan<byte> storedKey) => _serializer.Deserialize(storedKey[RocksDbStateStore.KeyGroupPrefixBytes..]);
}
