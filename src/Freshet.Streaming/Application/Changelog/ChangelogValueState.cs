using System.Buffers;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// A <see cref="ValueState{T}"/> of the inner backend that marks the current key on every write (update, clear,
/// apply); reads pass straight through. Its changelog value is the value, encoded with the descriptor's serializer.
/// Task thread only.
/// </summary>
internal sealed class ChangelogValueState<TKey, T> : ValueState<T>, IChangelogState<TKey>
    where TKey : notnull
{
    private readonly ValueState<T> _inner;
    private readonly ISerializer<T> _serializer;

    public ChangelogValueState(ValueState<T> inner, ValueStateDescriptor<T> descriptor, ChangelogDirtyKeys<TKey> dirty)
    {
        _inner = inner;
        _serializer = descriptor.Serializer ?? Serializers.Default<T>();
        Name = descriptor.Name;
        Dirty = dirty;
    }

    public string Name { get; }

    public ChangelogDirtyKeys<TKey> Dirty { get; }

    public override bool HasValue => _inner.HasValue;

    public override T Value => _inner.Value;

    public override void Update(T value)
    {
        Dirty.MarkCurrent();
        _inner.Update(value);
    }

    public override void Clear()
    {
        Dirty.MarkCurrent();
        _inner.Clear();
    }

    internal override bool TryGetValue(out T value) => _inner.TryGetValue(out value);

    internal override T Apply(IValueUpdate<T> update)
    {
        Dirty.MarkCurrent();
        return _inner.Apply(update);
    }

    public bool TryWriteCurrent(ArrayBufferWriter<byte> output) => ChangelogValueFormat.TryWriteSingle(_inner, ChangelogStateKind.Value, _serializer, output);

    public void ApplyCurrent(ReadOnlySpan<byte> value, bool isTombstone) => ChangelogValueFormat.ApplySingle(_inner, value, isTombstone, Name, ChangelogStateKind.Value, _serializer, "value");
}
