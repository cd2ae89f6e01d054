using Freshet.Streaming.Functions;

namespace Freshet.Streaming.Tables;

/// <summary>
/// An <see cref="IAggregateFunction{TIn, TAcc, TOut}"/> used where a retractable one is expected, for input that only
/// ever adds rows (a stream aggregated into a table): <see cref="Retract"/> is never called, and throws if it is.
/// Stateless; thread-safe if the function is.
/// </summary>
internal sealed class AppendOnlyAggregate<TIn, TAcc, TOut> : IRetractableAggregateFunction<TIn, TAcc, TOut>
{
    private readonly IAggregateFunction<TIn, TAcc, TOut> _function;

    public AppendOnlyAggregate(IAggregateFunction<TIn, TAcc, TOut> function)
    {
        _function = function;
    }

    public TAcc CreateAccumulator() => _function.CreateAccumulator();

    public TAcc Add(TIn value, TAcc accumulator) => _function.Add(value, accumulator);

    public TAcc Retract(TIn value, TAcc accumulator) =>
        throw new InvalidOperationException("An aggregation of an append-only stream received a withdrawal; aggregate a changelog with AggregateChanges and a retractable function.");

    public TOut GetResult(TAcc accumulator) => _function.GetResult(accumulator);

    public TAcc Merge(TAcc a, TAcc b) => _function.Merge(a, b);
}
