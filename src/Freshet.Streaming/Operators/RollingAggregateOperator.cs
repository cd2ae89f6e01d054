using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Operators;

/// <summary>
/// Rolling keyed aggregation (<c>KeyedStream.Reduce</c> and <c>Aggregate</c>): keeps one accumulator per key and emits
/// the updated result after every record, with the record's event time. State: a value state <c>accumulators</c> in
/// the job's <see cref="StateBackend"/> (on the heap a dictionary entry per key, updated in place with one lookup per
/// record; in RocksDB one serialized entry per key, read and written per record); accumulators go through
/// <see cref="Serializers.Default{T}"/>.
/// <para>Checkpoints: the backend's section of that state (<c>state:accumulators</c> on the heap,
/// <c>rocksdb:accumulators</c> in RocksDB), restored by key group at any parallelism. A checkpoint that holds the
/// accumulators in the layout this operator wrote when it kept them in a dictionary of its own (section
/// <c>accumulators</c>: key → accumulator) is restored too, into either backend.</para>
/// Task thread only.
/// </summary>
internal sealed class RollingAggregateOperator<TKey, TIn, TAcc, TOut> : Operator<TIn>, ICheckpointedOperator, IValueUpdate<TAcc>
    where TKey : notnull
{
    private const string StateName = "accumulators";

    /// <summary>The section of the accumulators when the operator kept them outside the state backend.</summary>
    private const string DictionarySection = "accumulators";

    private readonly OperatorSetup _setup;
    private readonly Func<TIn, TKey> _keySelector;
    private readonly Func<TIn, TAcc> _first;
    private readonly Func<TIn, TAcc, TAcc> _add;
    private readonly Func<TAcc, TOut> _result;
    private readonly Output<TOut> _output;
    private readonly KeyContext<TKey> _key = new();
    private readonly IKeyedStateBackend<TKey> _state;
    private readonly ValueState<TAcc> _accumulators;
    private TIn _record = default!;

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
        _state = setup.CreateKeyedStateBackend(_key);
        _accumulators = _state.GetValueState(new ValueStateDescriptor<TAcc>(StateName));
    }

    public Func<IReadOnlyList<(string Name, byte[] Bytes)>>? SnapshotState(long checkpointId) => _state.Snapshot();

    public IReadOnlyList<string> StateSections { get; } = [.. StateBackend.SectionsOfState(StateName), DictionarySection];

    public void RestoreState(RestoredOperatorState restored)
    {
        _state.Restore(restored, _setup.KeyGroupRange);
        foreach (var bytes in restored.Section(DictionarySection))
        {
            KeyGroupedStateSnapshot.Restore(bytes, _setup.MaxParallelism, _setup.KeyGroupRange, Serializers.Default<TKey>(), Serializers.Default<TAcc>(), (key, accumulator) =>
            {
                SetKey(key);
                _accumulators.Update(accumulator);
            });
        }

        _key.IsSet = false;
    }

    /// <summary>Releases the accumulators (deletes a RocksDB working database).</summary>
    public override void Close() => _state.Dispose();

    protected override void ProcessBatch(StreamBatch<TIn> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++)
        {
            _record = values[i];
            SetKey(_keySelector(_record));
            _output.Emit(_result(_accumulators.Apply(this)), timestamps[i]);
        }

        _record = default!;
        _key.IsSet = false;
        _output.Flush();
    }

    /// <summary>The accumulator of a key's first record (the record being processed).</summary>
    TAcc IValueUpdate<TAcc>.Initial() => _first(_record);

    /// <summary>The accumulator after the record being processed.</summary>
    TAcc IValueUpdate<TAcc>.Next(TAcc current) => _add(_record, current);

    protected override void OnWatermark(long watermark) => _output.Watermark(watermark);

    protected override void OnIdle() => _output.Idle();

    protected override void OnFinish() => _output.Finish();

    private void SetKey(TKey key)
    {
        _key.Current = key;
        _key.IsSet = true;
    }
}
