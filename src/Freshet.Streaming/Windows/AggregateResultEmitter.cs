using Freshet.Streaming.Functions;
using Freshet.Streaming.Operators;

namespace Freshet.Streaming.Windows;

/// <summary>Emits <c>GetResult(accumulator)</c> with event time <c>window.End − 1</c>.</summary>
internal sealed class AggregateResultEmitter<TKey, TIn, TAcc, TOut> : WindowResultEmitter<TKey, TAcc, TOut>
{
    private readonly IAggregateFunction<TIn, TAcc, TOut> _function;

    public AggregateResultEmitter(IAggregateFunction<TIn, TAcc, TOut> function)
    {
        _function = function;
    }

    public override void Emit(TKey key, TimeWindow window, TAcc accumulator, long watermark, Output<TOut> output) =>
        output.Emit(_function.GetResult(accumulator), window.MaxTimestamp);
}
