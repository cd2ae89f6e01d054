using Freshet.Streaming.Exchange;

namespace Freshet.Streaming.Operators;

/// <summary>Zero or more outputs per input through a collector; outputs get the input's event time.</summary>
internal sealed class FlatMapOperator<TIn, TOut> : Operator<TIn>
{
    public override bool IsStateless => true;

    private readonly Action<TIn, Functions.Collector<TOut>> _flatMapper;
    private readonly Output<TOut> _output;
    private readonly OutputCollector<TOut> _collector = new();

    public FlatMapOperator(OperatorSetup setup, Action<TIn, Functions.Collector<TOut>> flatMapper, Operator<TOut> next)
        : base(setup)
    {
        _flatMapper = flatMapper;
        _output = new Output<TOut>(next, setup.BatchSize, Metrics);
    }

    protected override void ProcessBatch(StreamBatch<TIn> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        _collector.Target = _output;
        for (var i = 0; i < batch.Count; i++)
        {
            _collector.Timestamp = timestamps[i];
            _flatMapper(values[i], _collector);
        }

        _collector.Target = null;
        _output.Flush();
    }

    protected override void OnWatermark(long watermark) => _output.Watermark(watermark);

    protected override void OnIdle() => _output.Idle();

    protected override void OnFinish() => _output.Finish();
}
