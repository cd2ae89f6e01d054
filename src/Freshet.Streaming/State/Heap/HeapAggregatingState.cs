using Freshet.Streaming.Functions;

namespace Freshet.Streaming.State.Heap;

/// <summary>
/// <see cref="AggregatingState{TIn, TOut}"/> on the heap, over a <see cref="HeapValueStore{TKey, T}"/> of
/// accumulators (snapshot entries: the accumulator per key). Adding to an absent or expired accumulator starts from
/// <see cref="IAggregateFunction{TIn, TAcc, TOut}.CreateAccumulator"/>. Task thread only.
/// </summary>
internal sealed class HeapAggregatingState<TKey, TIn, TAcc, TOut> : AggregatingState<TIn, TOut>, IHeapKeyedState
    where TKey : notnull
{
    private readonly IAggregateFunction<TIn, TAcc, TOut> _function;

    public HeapAggregatingState(string name, KeyContext<TKey> key, StateTtl? ttl, IAggregateFunction<TIn, TAcc, TOut> function)
    {
        Store = new HeapValueStore<TKey, TAcc>(name, key, ttl);
        _function = function;
    }

    /// <summary>The storage of accumulators, for snapshots.</summary>
    public HeapValueStore<TKey, TAcc> Store { get; }

    public string Name => Store.Name;

    public int KeyCount => Store.KeyCount;

    public override bool TryGet(out TOut result)
    {
        if (Store.TryRead(out var accumulator))
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
        var now = Store.BeginAccess();
        var accumulator = Store.TryReadAt(now, out var current) ? current : _function.CreateAccumulator();
        Store.WriteAt(now, _function.Add(value, accumulator));
    }

    public override void Clear() => Store.Remove();
}
