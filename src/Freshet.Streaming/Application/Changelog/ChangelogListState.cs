using System.Buffers;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// A <see cref="ListState{T}"/> of the inner backend that marks the current key on every write (add, add all,
/// update, clear); reads pass straight through. Its changelog value is the whole list, each element encoded with the
/// descriptor's serializer, so the newest record of a key restores it alone. Task thread only.
/// </summary>
internal sealed class ChangelogListState<TKey, T> : ListState<T>, IChangelogState<TKey>
    where TKey : notnull
{
    private readonly ListState<T> _inner;
    private readonly ISerializer<T> _serializer;

    public ChangelogListState(ListState<T> inner, ListStateDescriptor<T> descriptor, ChangelogDirtyKeys<TKey> dirty)
    {
        _inner = inner;
        _serializer = descriptor.Serializer ?? Serializers.Default<T>();
        Name = descriptor.Name;
        Dirty = dirty;
    }

    public string Name { get; }

    public ChangelogDirtyKeys<TKey> Dirty { get; }

    internal override bool IsEmpty => _inner.IsEmpty;

    public override IReadOnlyList<T> Get() => _inner.Get();

    public override void Add(T value)
    {
        Dirty.MarkCurrent();
        _inner.Add(value);
    }

    public override void AddAll(IEnumerable<T> values)
    {
        Dirty.MarkCurrent();
        _inner.AddAll(values);
    }

    public override void Update(IEnumerable<T> values)
    {
        Dirty.MarkCurrent();
        _inner.Update(values);
    }

    public override void Clear()
    {
        Dirty.MarkCurrent();
        _inner.Clear();
    }

    public bool TryWriteCurrent(ArrayBufferWriter<byte> output)
    {
        var elements = _inner.Get();
        if (elements.Count == 0)
        {
            return false;
        }

        ChangelogValueFormat.WriteHeader(output, ChangelogStateKind.List);
        ChangelogValueFormat.WriteCount(output, elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            ChangelogValueFormat.WriteSized(output, _serializer, elements[i]);
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

        var reader = ChangelogValueFormat.Open(value, Name, ChangelogStateKind.List);
        var count = reader.ReadCount(ChangelogValueFormat.LengthBytes);
        var elements = new T[count];
        for (var i = 0; i < count; i++)
        {
            elements[i] = ChangelogValueFormat.Deserialize(_serializer, reader.ReadSized(), Name, "element");
        }

        reader.EnsureEnd();
        _inner.Update(elements);
    }
}
