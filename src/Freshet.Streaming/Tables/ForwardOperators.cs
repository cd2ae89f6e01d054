using Freshet.Streaming.Operators;
using Freshet.Streaming.Planning;

namespace Freshet.Streaming.Tables;

/// <summary>
/// Stateless steps that run in the subtasks of their input (forward, at the input's parallelism) so that the order of
/// each key's records is kept: a map or filter at another parallelism would rebalance them round robin and reorder a
/// key's upserts or changes.
/// </summary>
internal static class ForwardOperators
{
    public static DataStream<TOut> ForwardMap<TIn, TOut>(this DataStream<TIn> input, string name, Func<TIn, TOut> mapper) =>
        input.Environment.Add(new OneInputTransformation<TIn, TOut>(input.Environment.NextId(), name, input.Parallelism, input.Node, InputPartitioning.Forward, (setup, next) => new MapOperator<TIn, TOut>(setup, mapper, next)));

    public static DataStream<T> ForwardFilter<T>(this DataStream<T> input, string name, Func<T, bool> predicate) =>
        input.Environment.Add(new OneInputTransformation<T, T>(input.Environment.NextId(), name, input.Parallelism, input.Node, InputPartitioning.Forward, (setup, next) => new FilterOperator<T>(setup, predicate, next)));
}
