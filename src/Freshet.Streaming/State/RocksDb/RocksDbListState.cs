using System.Buffers;
using System.Buffers.Binary;
using Freshet.Streaming.Serialization;
using RocksDbSharp;

namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// <see cref="ListState{T}"/> in RocksDB: the whole list of a key in one entry (<c>int32 count</c>, then
/// <c>int32 length + bytes</c> per element; with a time-to-live each element's bytes start with its own stamp, see
/// <see cref="RocksDbTtl"/>). Without a time-to-live <see cref="Add"/> and <see cref="AddAll"/> append with a RocksDB
/// merge (<see cref="RocksDbListMerge"/>): one write of the new elements, whatever the list's size, which is what keeps
/// a window function's element lists affordable. With one they read and rewrite the entry (elements are copied as
/// bytes, not deserialized), dropping expired elements on the way, so they cost O(list size). <see cref="Get"/>
/// deserializes the whole list. Task thread only.
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
        if (_ttl is null)
        {
            Append([Encode(value, now: 0)]);
            return;
        }

        var now = BeginAccess();
        var elements = ReadElements(now, out _);
        elements.Add(Encode(value, now));
        Write(elements);
    }

    public override void AddAll(IEnumerable<T> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (_ttl is null)
        {
            Append([.. values.Select(v => Encode(v, now: 0))]);
            return;
        }

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

    internal override bool IsEmpty => _ttl is null ? store.Get(_columnFamily, StoredKey) is null : ReadElements(BeginAccess(), out _).Count == 0;

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

    /// <summary>Appends <paramref name="elements"/> to the current key's list with one merge write (nothing for none).</summary>
    private void Append(List<byte[]> elements)
    {
        if (elements.Count == 0)
        {
            return;
        }

        _buffer.ResetWrittenCount();
        Frame(elements, _buffer);
        store.Merge(_columnFamily, StoredKey, _buffer.WrittenSpan);
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
