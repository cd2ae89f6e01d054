using Freshet.Streaming.Functions;

namespace Freshet.Streaming.Windows;

/// <summary>Runs a <see cref="ProcessAllWindowFunction{TIn, TOut}"/> as a keyed window function over the single constant key of <c>WindowAll</c>.</summary>
internal sealed class ProcessAllWindowAdapter<TIn, TOut> : ProcessWindowFunction<TIn, TOut, byte>
{
    private readonly ProcessAllWindowFunction<TIn, TOut> _function;

    public ProcessAllWindowAdapter(ProcessAllWindowFunction<TIn, TOut> function)
    {
        _function = function;
    }

    public override void Process(byte key, ProcessWindowContext context, IReadOnlyList<TIn> elements, Collector<TOut> output) =>
        _function.Process(context, elements, output);
}
