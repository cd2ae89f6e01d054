using Freshet.Streaming.Functions;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Time;

namespace Freshet.Streaming.Windows;

/// <summary>
/// Calls a <see cref="ProcessWindowFunction{TIn, TOut, TKey}"/> with the window's records: <typeparamref name="TAcc"/>
/// is turned into the list of elements by <c>toElements</c> (the record list itself, or a one-element list holding a
/// pre-aggregated result). The context, collector and one-element list are reused across firings.
/// </summary>
internal sealed class ProcessWindowEmitter<TKey, TAcc, TElement, TOut> : WindowResultEmitter<TKey, TAcc, TOut>
{
    private readonly ProcessWindowFunction<TElement, TOut, TKey> _function;
    private readonly Func<TAcc, TElement[], IReadOnlyList<TElement>> _toElements;
    private readonly TElement[] _single = new TElement[1];
    private readonly MutableWindowContext _context;
    private readonly OutputCollector<TOut> _collector = new();

    public ProcessWindowEmitter(ProcessWindowFunction<TElement, TOut, TKey> function, Func<TAcc, TElement[], IReadOnlyList<TElement>> toElements, ProcessingTimeService processingTime)
    {
        _function = function;
        _toElements = toElements;
        _context = new MutableWindowContext(processingTime);
    }

    public override void Emit(TKey key, TimeWindow window, TAcc accumulator, long watermark, Output<TOut> output)
    {
        _context.CurrentWindow = window;
        _context.Watermark = watermark;
        _collector.Target = output;
        _collector.Timestamp = window.MaxTimestamp;
        _function.Process(key, _context, _toElements(accumulator, _single), _collector);
        _collector.Target = null;
    }
}
