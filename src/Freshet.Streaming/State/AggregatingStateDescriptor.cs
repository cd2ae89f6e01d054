using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.State;

/// <summary>Names an <see cref="AggregatingState{TIn, TOut}"/> of an operator and its aggregate function.</summary>
public sealed class AggregatingStateDescriptor<TIn, TAcc, TOut> : StateDescriptor
{
    /// <summary>Describes an aggregating state called <paramref name="name"/> (the function is shared by all subtasks: keep it stateless).</summary>
    public AggregatingStateDescriptor(string name, IAggregateFunction<TIn, TAcc, TOut> aggregateFunction)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(aggregateFunction);
        AggregateFunction = aggregateFunction;
    }

    /// <summary>Creates, updates and reads the accumulator.</summary>
    public IAggregateFunction<TIn, TAcc, TOut> AggregateFunction { get; }

    /// <summary>
    /// How the RocksDB state backend serializes the accumulator (and checkpoints will); null uses <c>Serializers.Default</c>.
    /// Set it, for example, to a source-generated JSON serializer for trimmed applications.
    /// </summary>
    public ISerializer<TAcc>? AccumulatorSerializer { get; init; }
}
