using System.Runtime.InteropServices;
using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.Operators;

/// <summary>
/// Rolling keyed aggregation (<c>KeyedStream.Reduce</c> and <c>Aggregate</c>): keeps one accumulator per key and emits
/// the updated result after every record, with the record's event time. State: <c>Dictionary&lt;TKey, TAcc&gt;</c>
/// (key groups derived from keys at snapshot time). Checkpoints store it as the section <c>accumulators</c>, keys and
/// accumulators through <see cref="Serializers.Default{T}"/>.
/// </summary>
internal sealed class RollingAggregateOperator<TKey, TIn, TAcc, TOut> : Operator<TIn>, ICheckpointedOperator
    where TKey : notnull
{
    private const string Section = "accumulators";
    private readonly OperatorSetup _setup;
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
        _setup = setup;
    }

    public Func<IReadOnlyList<(string Name, byte[] Bytes)>>? SnapshotState(long checkpointId)
    {
        var serialize = KeyGroupedStateSnapshot.Snapshot(_state, _setup.MaxParallelism, Serializers.Default<TKey>(), Serializers.Default<TAcc>());
        return () => [(Section, serialize())];
    }

    public IReadOnlyList<string> StateSections { get; } = [Section];

    public void RestoreState(RestoredOperatorState restored)
    {
        foreach (var bytes in restored.Section(Section))
        {
            KeyGroupedStateSnapshot.Restore(bytes, _setup.MaxParallelism, _setup.KeyGroupRange, Serializers.Default<TKey>(), Serializers.Default<TAcc>(), (key, accumulator) => _state[key] = accumulator);
        }
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
