using Freshet.Streaming.Exchange;

namespace Freshet.Streaming.Operators;

/// <summary>Passes the records for which <c>predicate(value)</c> is true.</summary>
internal sealed class FilterOperator<T> : Operator<T>
{
    public override bool IsStateless => true;

    private readonly Func<T, bool> _predicate;
    private readonly Output<T> _output;

    public FilterOperator(OperatorSetup setup, Func<T, bool> predicate, Operator<T> next)
        : base(setup)
    {
        _predicate = predicate;
        _output = new Output<T>(next, setup.BatchSize, Metrics);
    }

    protected override void ProcessBatch(StreamBatch<T> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++)
        {
            var value = values[i];
            if (_predicate(value))
            {
                _output.Emit(value, timestamps[i]);
            }
        }

        _output.Flush();
    }

    protected override void OnWatermark(long watermark) => _output.Watermark(watermark);

    protected override void OnIdle() => _output.Idle();

    protected override void OnFinish() => _output.Finish();
}
