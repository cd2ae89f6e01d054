using Freshet.Streaming.Exchange;
using Freshet.Streaming.Operators;

namespace Freshet.Streaming.Tables;

/// <summary>
/// <c>Table.Filter</c> (Kafka Streams' <c>KTable.filter</c>): keeps the rows for which the predicate holds and keeps the
/// changelog normalised. Inserts and deletes pass when their row passes. An update arrives as <c>-U(old)</c>
/// immediately followed by <c>+U(new)</c> of the same key (the operators that make tables emit the pair together, and
/// this operator is chained to them); the <c>-U</c> is held until its <c>+U</c> comes, then: both pass →
/// <c>-U(old)</c>, <c>+U(new)</c>; only the old row passes → <c>-D(old)</c> (the row stops passing); only the new one
/// passes → <c>+I(new)</c>; neither → nothing. A held <c>-U</c> not followed by its <c>+U</c> is emitted as a
/// <c>-D</c> (if its row passes) and a lone <c>+U</c> as a <c>+I</c>, so the output stays a valid changelog whatever
/// the input. Keeps no state between barriers: a pair never straddles one. Task thread only.
/// </summary>
internal sealed class TableFilterOperator<TKey, TValue> : Operator<Change<KeyValuePair<TKey, TValue>>>
    where TKey : notnull
{
    private readonly Func<TKey, TValue, bool> _predicate;
    private readonly EqualityComparer<TKey> _keyComparer = EqualityComparer<TKey>.Default;
    private readonly Output<Change<KeyValuePair<TKey, TValue>>> _output;

    private bool _holdsUpdateBefore;
    private KeyValuePair<TKey, TValue> _heldRow;
    private bool _heldRowPasses;
    private long _heldTimestamp;

    public TableFilterOperator(OperatorSetup setup, Func<TKey, TValue, bool> predicate, Operator<Change<KeyValuePair<TKey, TValue>>> next)
        : base(setup)
    {
        _predicate = predicate;
        _output = new Output<Change<KeyValuePair<TKey, TValue>>>(next, setup.BatchSize, Metrics);
    }

    public override bool IsStateless => true;

    protected override void ProcessBatch(StreamBatch<Change<KeyValuePair<TKey, TValue>>> batch)
    {
        var values = batch.Values;
        var timestamps = batch.Timestamps;
        for (var i = 0; i < batch.Count; i++)
        {
            var change = values[i];
            var row = change.Row;
            var passes = _predicate(row.Key, row.Value);
            if (change.Kind == RowKind.UpdateAfter && _holdsUpdateBefore && _keyComparer.Equals(_heldRow.Key, row.Key))
            {
                _holdsUpdateBefore = false;
                if (_heldRowPasses && passes)
                {
                    _output.Emit(Change.UpdateBefore(_heldRow), _heldTimestamp);
                    _output.Emit(change, timestamps[i]);
                }
                else if (_heldRowPasses)
                {
                    _output.Emit(Change.Delete(_heldRow), timestamps[i]);
                }
                else if (passes)
                {
                    _output.Emit(Change.Insert(row), timestamps[i]);
                }

                _heldRow = default;
                continue;
            }

            ReleaseHeld();
            switch (change.Kind)
            {
                case RowKind.UpdateBefore:
                    _holdsUpdateBefore = true;
                    _heldRow = row;
                    _heldRowPasses = passes;
                    _heldTimestamp = timestamps[i];
                    break;
                case RowKind.UpdateAfter when passes:
                    _output.Emit(Change.Insert(row), timestamps[i]);
                    break;
                default:
                    if (passes)
                    {
                        _output.Emit(change, timestamps[i]);
                    }

                    break;
            }
        }

        // A held -U stays held across the output batch boundary: its +U may come in the next input batch of the chain.
        _output.Flush();
    }

    /// <summary>Emits a held <c>-U</c> whose <c>+U</c> did not follow as the <c>-D</c> it amounts to.</summary>
    private void ReleaseHeld()
    {
        if (!_holdsUpdateBefore)
        {
            return;
        }

        _holdsUpdateBefore = false;
        if (_heldRowPasses)
        {
            _output.Emit(Change.Delete(_heldRow), _heldTimestamp);
        }

        _heldRow = default;
    }

    protected override void OnWatermark(long watermark)
    {
        ReleaseHeld();
        _output.Watermark(watermark);
    }

    protected override void OnIdle()
    {
        ReleaseHeld();
        _output.Idle();
    }

    protected override void OnFinish()
    {
        ReleaseHeld();
        _output.Finish();
    }
}
