using System.Buffers;
using System.Buffers.Binary;
using Freshet.Streaming.Serialization;
using RocksDbSharp;

namespace Freshet.Streaming.State.RocksDb;

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
