using Freshet.Streaming.Exchange;

namespace Freshet.Streaming.Operators;

/// <summary>One output per input: <c>mapper(value)</c>, same event time.</summary>
internal sealed class MapOperator<TIn, TOut> : Operator<TIn>
{
    public override bool IsStateless => true;

    private readonly Func<TIn, TOut> _mapper;
    private readonly Output<TOut> _output;

    public MapOperator(OperatorSetup setup, Func<TIn, TOut> mapper, Operator<TOut> next)
        : base(setup)
    {
        _mapper = mapper;
        _output = new Output<TOut>(next, setup.BatchSize, Metrics);
    }

    protected override void ProcessBatch(StreamBatch<TIn> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++)
        {
            _output.Emit(_mapper(values[i]), timestamps[i]);
        }

        _output.Flush();
    }

    protected override void OnWatermark(long watermark) => _output.Watermark(watermark);

    protected override void OnIdle() => _output.Idle();

    protected override void OnFinish() => _output.Finish();
}
