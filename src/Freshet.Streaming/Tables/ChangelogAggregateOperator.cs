using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>
/// Aggregates a changelog per key (Flink's <c>GroupAggFunction</c>; <c>AggregateChanges</c>, table <c>GroupBy</c>):
/// an addition (<c>+I</c>, <c>+U</c>) is added to its group's accumulator, a withdrawal (<c>-U</c>, <c>-D</c>)
/// retracted. State: one value state <c>groups</c> per key holding the group's row count and accumulator
/// (<see cref="GroupState{TAcc}"/>), in the job's <see cref="StateBackend"/>, with an optional time-to-live.
/// <para>
/// Output, normalised per key as <see cref="Table{TKey, TValue}"/> requires: the first row of a group emits
/// <c>+I(result)</c>; a change of the result emits <c>-U(old)</c> then <c>+U(new)</c> (nothing when the result is equal,
/// by <see cref="EqualityComparer{T}.Default"/> of the function's result); the withdrawal of a group's last row emits
/// <c>-D(last result)</c> and clears the group. A withdrawal for a group without state is ignored (its addition was
/// never seen, or its state expired). Each output carries the timestamp of the change that caused it.
/// </para>
/// <para>Checkpoints: the backend's section of <c>groups</c>, restored by key group at any parallelism.</para>
/// Task thread only.
/// </summary>
internal sealed class ChangelogAggregateOperator<TKey, TIn, TAcc, TResult, TOut> : Operator<Change<TIn>>, ICheckpointedOperator
    where TKey : notnull
{
    private const string StateName = "groups";

    private readonly OperatorSetup _setup;
    private readonly Func<Change<TIn>, TKey> _keySelector;
    private readonly IRetractableAggregateFunction<TIn, TAcc, TResult> _function;
    private readonly Func<TKey, TResult, TOut> _resultSelector;
    private readonly EqualityComparer<TResult> _resultComparer = EqualityComparer<TResult>.Default;
    private readonly Output<Change<TOut>> _output;
    private readonly KeyContext<TKey> _key = new();
    private readonly IKeyedStateBackend<TKey> _state;
    private readonly ValueState<GroupState<TAcc>> _groups;

    public ChangelogAggregateOperator(
        OperatorSetup setup,
        Func<Change<TIn>, TKey> keySelector,
        IRetractableAggregateFunction<TIn, TAcc, TResult> function,
        ISerializer<TAcc> accumulatorSerializer,
        Func<TKey, TResult, TOut> resultSelector,
        StateTtlConfig? timeToLive,
        Operator<Change<TOut>> next)
        : base(setup)
    {
        _setup = setup;
        _keySelector = keySelector;
        _function = function;
        _resultSelector = resultSelector;
        _output = new Output<Change<TOut>>(next, setup.BatchSize, Metrics);
        _state = setup.CreateKeyedStateBackend(_key);
        var descriptor = new ValueStateDescriptor<GroupState<TAcc>>(StateName) { Serializer = new GroupStateSerializer<TAcc>(accumulatorSerializer) };
        if (timeToLive is not null)
        {
            descriptor.EnableTimeToLive(timeToLive);
        }

        _groups = _state.GetValueState(descriptor);
    }

    public IReadOnlyList<string> StateSections { get; } = [.. StateBackend.SectionsOfState(StateName)];

    public Func<IReadOnlyList<(string Name, byte[] Bytes)>>? SnapshotState(long checkpointId) => _state.Snapshot();

    public void RestoreState(RestoredOperatorState restored)
    {
        _state.Restore(restored, _setup.KeyGroupRange);
        _key.IsSet = false;
    }

    /// <summary>Releases the groups' state (deletes a RocksDB working database).</summary>
    public override void Close() => _state.Dispose();

    protected override void ProcessBatch(StreamBatch<Change<TIn>> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++)
        {
            var change = values[i];
            var key = _keySelector(change);
            _key.Current = key;
            _key.IsSet = true;
            Apply(key, change, timestamps[i]);
        }

        _key.IsSet = false;
        _output.Flush();
    }

    private void Apply(TKey key, Change<TIn> change, long timestamp)
    {
        if (!_groups.TryGetValue(out var group))
        {
            if (change.IsAddition)
            {
                var accumulator = _function.Add(change.Row, _function.CreateAccumulator());
                _groups.Update(new GroupState<TAcc>(1, accumulator));
                _output.Emit(Change.Insert(_resultSelector(key, _function.GetResult(accumulator))), timestamp);
            }

            // A withdrawal without state: nothing to take it from (Flink drops it the same way).
            return;
        }

        // Before the update: an accumulator that is a class may be changed in place by Add or Retract.
        var before = _function.GetResult(group.Accumulator);
        if (change.IsAddition)
        {
            group = new GroupState<TAcc>(group.RowCount + 1, _function.Add(change.Row, group.Accumulator));
        }
        else if (group.RowCount <= 1)
        {
            _groups.Clear();
            _output.Emit(Change.Delete(_resultSelector(key, before)), timestamp);
            return;
        }
        else
        {
            group = new GroupState<TAcc>(group.RowCount - 1, _function.Retract(change.Row, group.Accumulator));
        }

        _groups.Update(group);
        var after = _function.GetResult(group.Accumulator);
        if (!_resultComparer.Equals(before, after))
        {
            _output.Emit(Change.UpdateBefore(_resultSelector(key, before)), timestamp);
            _output.Emit(Change.UpdateAfter(_resultSelector(key, after)), timestamp);
        }
    }

    protected override void OnWatermark(long watermark) => _output.Watermark(watermark);

    protected override void OnIdle() => _output.Idle();

    protected override void OnFinish() => _output.Finish();
}
