using System.Buffers;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// A <see cref="MapState{TUserKey, TValue}"/> of the inner backend that marks the current key on every write (put,
/// put all, a remove that removed something, clear); reads pass straight through. Its changelog value is the key's
/// whole map, user keys and values encoded with the descriptor's serializers. Task thread only.
/// </summary>
internal sealed class ChangelogMapState<TKey, TUserKey, TValue> : MapState<TUserKey, TValue>, IChangelogState<TKey>
    where TKey : notnull
    where TUserKey : notnull
{
    /// <summary>Least bytes of one entry: the two lengths.</summary>
    private const int MinimumEntryBytes = 2 * ChangelogValueFormat.LengthBytes;

    private readonly MapState<TUserKey, TValue> _inner;
    private readonly ISerializer<TUserKey> _userKeySerializer;
    private readonly ISerializer<TValue> _valueSerializer;

    public ChangelogMapState(MapState<TUserKey, TValue> inner, MapStateDescriptor<TUserKey, TValue> descriptor, ChangelogDirtyKeys<TKey> dirty)
    {
        _inner = inner;
        _userKeySerializer = descriptor.KeySerializer ?? Serializers.Default<TUserKey>();
        _valueSerializer = descriptor.ValueSerializer ?? Serializers.Default<TValue>();
        Name = descriptor.Name;
        Dirty = dirty;
    }

    public string Name { get; }

    public ChangelogDirtyKeys<TKey> Dirty { get; }

    public override bool IsEmpty => _inner.IsEmpty;

    public override bool TryGetValue(TUserKey userKey, out TValue value) => _inner.TryGetValue(userKey, out value);

    public override bool Contains(TUserKey userKey) => _inner.Contains(userKey);

    public override IReadOnlyList<KeyValuePair<TUserKey, TValue>> Entries() => _inner.Entries();

    public override void Put(TUserKey userKey, TValue value)
    {
        Dirty.MarkCurrent();
        _inner.Put(userKey, value);
    }

    public override void PutAll(IEnumerable<KeyValuePair<TUserKey, TValue>> entries)
    {
        Dirty.MarkCurrent();
        _inner.PutAll(entries);
    }

    /// <summary>Marks the key only when something was removed: removing an absent user key changes nothing.</summary>
    public override bool Remove(TUserKey userKey)
    {
        if (!_inner.Remove(userKey))
        {
            return false;
        }

        Dirty.MarkCurrent();
        return true;
    }

    public override void Clear()
    {
        Dirty.MarkCurrent();
        _inner.Clear();
    }

    public bool TryWriteCurrent(ArrayBufferWriter<byte> output)
    {
        var entries = _inner.Entries();
        if (entries.Count == 0)
        {
            return false;
        }

        ChangelogValueFormat.WriteHeader(output, ChangelogStateKind.Map);
        ChangelogValueFormat.WriteCount(output, entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            ChangelogValueFormat.WriteSized(output, _userKeySerializer, entries[i].Key);
            ChangelogValueFormat.WriteSized(output, _valueSerializer, entries[i].Value);
        }

        return true;
    }

    public void ApplyCurrent(ReadOnlySpan<byte> value, bool isTombstone)
    {
        if (isTombstone)
        {
            _inner.Clear();
            return;
        }

        var reader = ChangelogValueFormat.Open(value, Name, ChangelogStateKind.Map);
        var count = reader.ReadCount(MinimumEntryBytes);
        var entries = new KeyValuePair<TUserKey, TValue>[count];
        for (var i = 0; i < count; i++)
        {
            var userKey = ChangelogValueFormat.Deserialize(_userKeySerializer, reader.ReadSized(), Name, "user key");
            if (userKey is null)
            {
                throw ChangelogValueFormat.Malformed(Name, "a user key reads as null");
            }

            entries[i] = KeyValuePair.Create(userKey, ChangelogValueFormat.Deserialize(_valueSerializer, reader.ReadSized(), Name, "value"));
        }

        reader.EnsureEnd();
        _inner.Clear();
        _inner.PutAll(entries);
    }
}
