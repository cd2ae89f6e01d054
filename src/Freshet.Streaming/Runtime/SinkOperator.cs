using Freshet.Streaming.Connectors;

namespace Freshet.Streaming.Runtime;

/// <summary>Hands batches to a <see cref="SinkWriter{T}"/>; flushes it at end of input and disposes it when the task ends.</summary>
internal sealed class SinkOperator<T> : Operator<T>
{
    private readonly Sink<T> _sink;
    private readonly SinkContext _context;
    private SinkWriter<T>? _writer;

    public SinkOperator(OperatorSetup setup, Sink<T> sink)
        : base(setup)
    {
        _sink = sink;
        _context = new SinkContext(setup.SubtaskIndex, setup.Parallelism) { ProcessingTime = setup.ProcessingTime };
    }

    protected override void OnOpen() => _writer = _sink.CreateWriter(_context);

    protected override void ProcessBatch(StreamBatch<T> batch) => _writer!.Write(batch.ValueSpan, batch.TimestampSpan);

    protected override void OnWatermark(long watermark)
    {
    }

    protected override void OnIdle()
    {
    }

    protected override void OnFinish() => _writer!.Flush(endOfInput: true);

    public override void Close() => _writer?.Dispose();
}
