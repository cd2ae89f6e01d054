namespace Freshet.Streaming.Functions;

/// <summary>
/// An aggregate function that can also take a value back out (Flink's <c>retract</c>), as aggregations over a
/// changelog need: a withdrawn row (<c>-U</c>, <c>-D</c>) is retracted from its group's accumulator. Implementations
/// must satisfy <c>GetResult(Retract(v, Add(v, a)))</c> = <c>GetResult(a)</c>. The operator counts the rows of each
/// group itself and drops the accumulator when the count reaches zero, so the function needs no notion of "empty".
/// </summary>
/// <typeparam name="TIn">Input rows.</typeparam>
/// <typeparam name="TAcc">The accumulator; it is kept in keyed state, so it needs a serializer for snapshots.</typeparam>
/// <typeparam name="TOut">The result.</typeparam>
public interface IRetractableAggregateFunction<in TIn, TAcc, out TOut> : IAggregateFunction<TIn, TAcc, TOut>
{
    /// <summary>Takes <paramref name="value"/>, added earlier, back out and returns the updated accumulator.</summary>
    TAcc Retract(TIn value, TAcc accumulator);
}
