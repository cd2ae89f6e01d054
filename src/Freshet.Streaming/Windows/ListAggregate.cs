using Freshet.Streaming.Functions;

namespace Freshet.Streaming.Windows;

/// <summary>Keeps every record of a window, for a <see cref="ProcessWindowFunction{TIn, TOut, TKey}"/> without pre-aggregation.</summary>
internal sealed class ListAggregate<T> : IAggregateFunction<T, List<T>, List<T>>
{
    public List<T> CreateAccumulator() => [];

    public List<T> Add(T value, List<T> accumulator)
    {
        accumulator.Add(value);
        return accumulator;
    }

    public List<T> GetResult(List<T> accumulator) => accumulator;

    public List<T> Merge(List<T> a, List<T> b)
    {
        a.AddRange(b);
        return a;
    }
}
