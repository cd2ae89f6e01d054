using Freshet.Streaming.Functions;

namespace Freshet.Streaming.Windows;

/// <summary>A reduce function as an aggregate: the accumulator is (has value, value).</summary>
internal sealed class ReduceAggregate<T> : IAggregateFunction<T, (bool HasValue, T Value), T>
{
    private readonly Func<T, T, T> _reducer;

    public ReduceAggregate(Func<T, T, T> reducer)
    {
        _reducer = reducer;
    }

    public (bool HasValue, T Value) CreateAccumulator() => (false, default!);

    public (bool HasValue, T Value) Add(T value, (bool HasValue, T Value) accumulator) =>
        (true, accumulator.HasValue ? _reducer(accumulator.Value, value) : value);

    public T GetResult((bool HasValue, T Value) accumulator) => accumulator.Value;

    public (bool HasValue, T Value) Merge((bool HasValue, T Value) a, (bool HasValue, T Value) b) =>
        !a.HasValue ? b : !b.HasValue ? a : (true, _reducer(a.Value, b.Value));
}
