using Freshet.Streaming.Functions;

namespace Freshet.Streaming.State.RocksDb;

/// <summary>
/// <see cref="AggregatingState{TIn, TOut}"/> in RocksDB: one accumulator per key in a value state, folded on each add
/// (one read, one write). Task thread only.
/// </summary>
internal sealed class RocksDbAggregatingState<TKey, TIn, TAcc, TOut>(RocksDbValueState<TKey, TAcc> accumulators, IAggregateFunction<TIn, TAcc, TOut> function)
    : AggregatingState<TIn, TOut>
    where TKey : notnull
{
    public override bool TryGet(out TOut result)
    {
        if (accumulators.TryGetValue(out var accumulator))
        {
            result = function.GetResult(accumulator);
            return true;
        }

        result = default!;
        return false;
    }

    public override TOut Get() => TryGet(out var result) ? result : default!;

    public override void Add(TIn value) =>
        accumulators.Update(function.Add(value, accumulators.TryGetValue(out var accumulator) ? accumulator : function.CreateAccumulator()));

    public override void Clear() => accumulators.Clear();
}
