using Freshet.Streaming.Functions;

namespace Freshet.Streaming.Operators;

/// <summary>
/// The <see cref="Collector{T}"/> handed to user functions: emits into the operator's <see cref="Output{T}"/> with the
/// event time the operator set for the current call. Reused across calls; collecting outside a call throws.
/// </summary>
internal sealed class OutputCollector<T> : Collector<T>
{
    public Output<T>? Target { get; set; }

    public long Timestamp { get; set; }

    public override void Collect(T value)
    {
        var target = Target ?? throw new InvalidOperationException("A collector can only be used during the call it was passed to.");
        target.Emit(value, Timestamp);
    }
}
