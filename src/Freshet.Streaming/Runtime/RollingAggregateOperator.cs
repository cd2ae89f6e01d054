using System.Runtime.InteropServices;

namespace Freshet.Streaming.Runtime;

/// <summary>
/// Rolling keyed aggregation (<c>KeyedStream.Reduce</c> and <c>Aggregate</c>): keeps one accumulator per key and emits
/// the updated result after every record, with the record's event time. State: <c>Dictionary&lt;TKey, TAcc&gt;</c>
/// (key groups derived from keys at snapshot time).
/// </summary>
internal sealed class RollingAggregateOperator<TKey, TIn, TAcc, TOut> : Operator<TIn>
    where TKey : notnull
{
    private readonly Func<TIn, TKey> _keySelector;
    private readonly Func<TIn, TAcc> _first;
    private readonly Func<TIn, TAcc, TAcc> _add;
    private readonly Func<TAcc, TOut> _result;
    private readonly Output<TOut> _output;
    private readonly Dictionary<TKey, TAcc> _state = [];

    /// <param name="first">The accumulator after a key's first record.</param>
    /// <param name="add">The accumulator after a further record.</param>
    public RollingAggregateOperator(OperatorSetup setup, Func<TIn, TKey> keySelector, Func<TIn, TAcc> first, Func<TIn, TAcc, TAcc> add, Func<TAcc, TOut> result, Operator<TOut> next)
        : base(setup)
    {
        _keySelector = keySelector;
        _first = first;
        _add = add;
        _result = result;
        _output = new Output<TOut>(next, setup.BatchSize, Metrics);
    }

    protected override void ProcessBatch(StreamBatch<TIn> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++)
        {
            var value = values[i];
            ref var accumulator = ref CollectionsMarshal.GetValueRefOrAddDefault(_state, _keySelector(value), out var exists);
            accumulator = exists ? _add(value, accumulator!) : _first(value);
            _output.Emit(_result(accumulator), timestamps[i]);
        }

        _output.Flush();
    }

    protected override void OnWatermark(long watermark) => _output.Watermark(watermark);

    protected override void OnIdle() => _output.Idle();

    protected override void OnFinish() => _output.Finish();
}
