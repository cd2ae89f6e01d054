using System.Runtime.CompilerServices;
using Freshet.Streaming.Exchange;

namespace Freshet.Streaming.Operators;

/// <summary>
/// An operator's main output: collects emitted records into one reusable batch and passes it to the next
/// operator (a chained operator, a fan-out or an exchange writer) when it is full, or when the caller flushes
/// at the end of its input batch or before a control element. Counts records out. Not thread-safe.
/// </summary>
internal sealed class Output<T> : IFlushable
{
    private readonly Operator<T> _next;
    private readonly StreamBatch<T> _buffer;
    private readonly OperatorMetricsCounter _metrics;

    public Output(Operator<T> next, int batchSize, OperatorMetricsCounter metrics)
    {
        _next = next;
        _buffer = new StreamBatch<T>(batchSize);
        _metrics = metrics;
    }

    public Operator<T> Next => _next;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Emit(T value, long timestamp)
    {
        if (_buffer.IsFull)
        {
            Flush();
        }

        _buffer.Add(value, timestamp);
    }

    /// <summary>Passes buffered records downstream.</summary>
    public void Flush()
    {
        if (_buffer.Count > 0)
        {
            _metrics.RecordsOut += _buffer.Count;
            _next.Process(_buffer);
            _buffer.Reset();
        }
    }

    public void Watermark(long watermark)
    {
        Flush();
        _next.Watermark(watermark);
    }

    public void Idle()
    {
        Flush();
        _next.Idle();
    }

    public void Finish()
    {
        Flush();
        _next.Finish();
    }
}
