using System.Buffers;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// A <see cref="ReducingState{T}"/> kept in a value state of the inner backend (the heap and RocksDB keep their own
/// reducing states the same way: one value per key with the descriptor's serializer, so checkpoints are byte for byte
/// theirs), which lets a restore put the reduced value back as it was. Each add is one read-modify-write of the inner
/// value (<see cref="ValueState{T}.Apply"/>, one lookup on the heap) and marks the current key. Its changelog value is
/// the reduced value. Task thread only.
/// </summary>
internal sealed class ChangelogReducingState<TKey, T> : ReducingState<T>, IChangelogState<TKey>, IValueUpdate<T>
    where TKey : notnull
{
    private readonly ValueState<T> _inner;
    private readonly Func<T, T, T> _reduce;
    private readonly ISerializer<T> _serializer;

    /// <summary>The value being added, held for the duration of one <see cref="Add"/> so the update allocates nothing.</summary>
    private T _added = default!;

    public ChangelogReducingState(ValueState<T> inner, ReducingStateDescriptor<T> descriptor, ChangelogDirtyKeys<TKey> dirty)
    {
        _inner = inner;
        _reduce = descriptor.Reduce;
        _serializer = descriptor.Serializer ?? Serializers.Default<T>();
        Name = descriptor.Name;
        Dirty = dirty;
    }

    public string Name { get; }

    public ChangelogDirtyKeys<TKey> Dirty { get; }

    /// <summary>The inner value state's descriptor for <paramref name="descriptor"/>: same name, serializer and time-to-live.</summary>
    public static ValueStateDescriptor<T> InnerDescriptor(ReducingStateDescriptor<T> descriptor)
    {
        var inner = new ValueStateDescriptor<T>(descriptor.Name) { Serializer = descriptor.Serializer };
        if (descriptor.TimeToLive is { } ttl)
        {
            inner.EnableTimeToLive(ttl);
        }

        return inner;
    }

    public override bool TryGet(out T value) => _inner.TryGetValue(out value);

    public override T Get() => _inner.TryGetValue(out var value) ? value : default!;

    public override void Add(T value)
    {
        Dirty.MarkCurrent();
        _added = value;
        try
        {
            _inner.Apply(this);
        }
        finally
        {
            _added = default!;
        }
    }

    public override void Clear()
    {
        Dirty.MarkCurrent();
        _inner.Clear();
    }

    T IValueUpdate<T>.Initial() => _added;

    T IValueUpdate<T>.Next(T current) => _reduce(current, _added);

    public bool TryWriteCurrent(ArrayBufferWriter<byte> output) => ChangelogValueFormat.TryWriteSingle(_inner, ChangelogStateKind.Reducing, _serializer, output);

    public void ApplyCurrent(ReadOnlySpan<byte> value, bool isTombstone) => ChangelogValueFormat.ApplySingle(_inner, value, isTombstone, Name, ChangelogStateKind.Reducing, _serializer, "reduced value");
}
