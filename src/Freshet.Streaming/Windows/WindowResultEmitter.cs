using Freshet.Streaming.Operators;

namespace Freshet.Streaming.Windows;

/// <summary>Turns the accumulator of one (key, window) into output records when the window fires. Called once per firing, not per record.</summary>
internal abstract class WindowResultEmitter<TKey, TAcc, TOut>
{
    /// <param name="watermark">The operator's current watermark.</param>
    public abstract void Emit(TKey key, TimeWindow window, TAcc accumulator, long watermark, Output<TOut> output);
}
