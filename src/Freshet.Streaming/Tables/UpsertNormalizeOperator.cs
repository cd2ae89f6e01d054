using Freshet.Streaming.Checkpoints;
using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;

namespace Freshet.Streaming.Tables;

/// <summary>
/// Turns an upsert stream (the latest value per key, tombstones for removals) into a table's normalised changelog
/// (Flink's <c>ChangelogNormalize</c>, Kafka Streams' source <c>KTable</c>): per key it keeps the current value in the
/// value state <c>rows</c>, and emits <c>+I(new)</c> for a key's first value, <c>-U(old)</c> then <c>+U(new)</c> for a
/// different value, nothing for an equal value (<see cref="EqualityComparer{T}.Default"/>; with a time-to-live it is still written, restarting the key's time-to-live), <c>-D(old)</c> for a
/// tombstone of a present key and nothing for a tombstone of an absent one. With a time-to-live, a key whose state
/// expired starts again with <c>+I</c>. Each output carries the timestamp of its input record.
/// <para>Checkpoints: the backend's section of <c>rows</c>, restored by key group at any parallelism.</para>
/// Task thread only.
/// </summary>
internal sealed class UpsertNormalizeOperator<TKey, TValue> : Operator<UpsertRecord<TKey, TValue>>, ICheckpointedOperator
    where TKey : notnull
{
    private const string StateName = "rows";

    private readonly OperatorSetup _setup;
    private readonly EqualityComparer<TValue> _valueComparer = EqualityComparer<TValue>.Default;
    private readonly Output<Change<KeyValuePair<TKey, TValue>>> _output;
    private readonly KeyContext<TKey> _key = new();
    private readonly IKeyedStateBackend<TKey> _state;
    private readonly ValueState<TValue> _rows;

    /// <summary>With a time-to-live, an equal value still counts as a write and restarts the key's time-to-live.</summary>
    private readonly bool _rewriteEqualValues;

    public UpsertNormalizeOperator(OperatorSetup setup, ISerializer<TValue> valueSerializer, StateTtlConfig? timeToLive, Operator<Change<KeyValuePair<TKey, TValue>>> next)
        : base(setup)
    {
        _setup = setup;
        _output = new Output<Change<KeyValuePair<TKey, TValue>>>(next, setup.BatchSize, Metrics);
        _state = setup.CreateKeyedStateBackend(_key);
        var descriptor = new ValueStateDescriptor<TValue>(StateName) { Serializer = valueSerializer };
        if (timeToLive is not null)
        {
            descriptor.EnableTimeToLive(timeToLive);
        }

        _rows = _state.GetValueState(descriptor);
        _rewriteEqualValues = timeToLive is not null;
    }

    public IReadOnlyList<string> StateSections { get; } = [.. StateBackend.SectionsOfState(StateName)];

    public Func<IReadOnlyList<(string Name, byte[] Bytes)>>? SnapshotState(long checkpointId) => _state.Snapshot();

    public void RestoreState(RestoredOperatorState restored)
    {
        _state.Restore(restored, _setup.KeyGroupRange);
        _key.IsSet = false;
    }

    /// <summary>Releases the rows' state (deletes a RocksDB working database).</summary>
    public override void Close() => _state.Dispose();

    protected override void ProcessBatch(StreamBatch<UpsertRecord<TKey, TValue>> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++)
        {
            var record = values[i];
            _key.Current = record.Key;
            _key.IsSet = true;
            var timestamp = timestamps[i];
            var present = _rows.TryGetValue(out var old);
            if (!record.HasValue)
            {
                if (present)
                {
                    _rows.Clear();
                    _output.Emit(Change.Delete(new KeyValuePair<TKey, TValue>(record.Key, old)), timestamp);
                }

                continue;
            }

            if (!present)
            {
                _rows.Update(record.Value);
                _output.Emit(Change.Insert(new KeyValuePair<TKey, TValue>(record.Key, record.Value)), timestamp);
            }
            else if (!_valueComparer.Equals(old, record.Value))
            {
                _rows.Update(record.Value);
                _output.Emit(Change.UpdateBefore(new KeyValuePair<TKey, TValue>(record.Key, old)), timestamp);
                _output.Emit(Change.UpdateAfter(new KeyValuePair<TKey, TValue>(record.Key, record.Value)), timestamp);
            }
            else if (_rewriteEqualValues)
            {
                _rows.Update(record.Value);
            }
        }

        _key.IsSet = false;
        _output.Flush();
    }

    protected override void OnWatermark(long watermark) => _output.Watermark(watermark);

    protected override void OnIdle() => _output.Idle();

    protected override void OnFinish() => _output.Finish();
}
