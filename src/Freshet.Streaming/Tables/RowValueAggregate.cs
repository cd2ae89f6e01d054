using Freshet.Streaming.Functions;

namespace Freshet.Streaming.Tables;

/// <summary>Applies an aggregate function of values to key/value rows (the value part). Stateless; thread-safe if the function is.</summary>
internal sealed class RowValueAggregate<TKey, TValue, TAcc, TOut> : IRetractableAggregateFunction<KeyValuePair<TKey, TValue>, TAcc, TOut>
{
    private readonly IRetractableAggregateFunction<TValue, TAcc, TOut> _function;

    public RowValueAggregate(IRetractableAggregateFunction<TValue, TAcc, TOut> function)
    {
        _function = function;
    }

    public TAcc CreateAccumulator() => _function.CreateAccumulator();

    public TAcc Add(KeyValuePair<TKey, TValue> value, TAcc accumulator) => _function.Add(value.Value, accumulator);

    public TAcc Retract(KeyValuePair<TKey, TValue> value, TAcc accumulator) => _function.Retract(value.Value, accumulator);

    public TOut GetResult(TAcc accumulator) => _function.GetResult(accumulator);

    public TAcc Merge(TAcc a, TAcc b) => _function.Merge(a, b);
}
