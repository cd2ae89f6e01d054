using System.Buffers;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Application.Changelog;

/// <summary>
/// An <see cref="AggregatingState{TIn, TOut}"/> kept as accumulators in a value state of the inner backend (as the
/// heap and RocksDB keep their own: one accumulator per key with the descriptor's accumulator serializer, so
/// checkpoints are byte for byte theirs), which lets the changelog carry the accumulator rather than the result and a
/// restore put it back. Each add is one read-modify-write of the inner value (<see cref="ValueState{T}.Apply"/>) and
/// marks the current key. Task thread only.
/// </summary>
internal sealed class ChangelogAggregatingState<TKey, TIn, TAcc, TOut> : AggregatingState<TIn, TOut>, IChangelogState<TKey>, IValueUpdate<TAcc>
    where TKey : notnull
{
    private readonly ValueState<TAcc> _inner;
    private readonly IAggregateFunction<TIn, TAcc, TOut> _function;
    private readonly ISerializer<TAcc> _serializer;

    /// <summary>The value being added, held for the duration of one <see cref="Add"/> so the update allocates nothing.</summary>
    private TIn _added = default!;

    public ChangelogAggregatingState(ValueState<TAcc> inner, AggregatingStateDescriptor<TIn, TAcc, TOut> descriptor, ChangelogDirtyKeys<TKey> dirty)
    {
        _inner = inner;
        _function = descriptor.AggregateFunction;
        _serializer = descriptor.AccumulatorSerializer ?? Serializers.Default<TAcc>();
        Name = descriptor.Name;
        Dirty = dirty;
    }

    public string Name { get; }

    public ChangelogDirtyKeys<TKey> Dirty { get; }

    /// <summary>The inner value state's descriptor for <paramref name="descriptor"/>: same name, accumulator serializer and time-to-live.</summary>
    public static ValueStateDescriptor<TAcc> InnerDescriptor(AggregatingStateDescriptor<TIn, TAcc, TOut> descriptor)
    {
        var inner = new ValueStateDescriptor<TAcc>(descriptor.Name) { Serializer = descriptor.AccumulatorSerializer };
        if (descriptor.TimeToLive is { } ttl)
        {
            inner.EnableTimeToLive(ttl);
        }

        return inner;
    }

    public override bool TryGet(out TOut result)
    {
        if (_inner.TryGetValue(out var accumulator))
        {
            result = _function.GetResult(accumulator);
            return true;
        }

        result = default!;
        return false;
    }

    public override TOut Get() => TryGet(out var result) ? result : default!;

    public override void Add(TIn value)
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

    TAcc IValueUpdate<TAcc>.Initial() => _function.Add(_added, _function.CreateAccumulator());

    TAcc IValueUpdate<TAcc>.Next(TAcc current) => _function.Add(_added, current);

    public bool TryWriteCurrent(ArrayBufferWriter<byte> output) => ChangelogValueFormat.TryWriteSingle(_inner, ChangelogStateKind.Aggregating, _serializer, output);

    public void ApplyCurrent(ReadOnlySpan<byte> value, bool isTombstone) => ChangelogValueFormat.ApplySingle(_inner, value, isTombstone, Name, ChangelogStateKind.Aggregating, _serializer, "accumulator");
}
