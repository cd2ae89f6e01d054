using Freshet.Sql.Ast;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// INTERSECT [ALL] and EXCEPT [ALL] over two changelogs keyed by the whole row, as Flink plans them: an aggregation
/// of each row's copies on the left (l) and on the right (r), kept in keyed state as a row [l, r] (BIGINT, BIGINT).
/// A row's result multiplicity is min(l, r) for INTERSECT ALL, max(l − r, 0) for EXCEPT ALL, and 1 or 0 for
/// INTERSECT (l &gt; 0 and r &gt; 0) and EXCEPT (l &gt; 0 and r = 0). Each change moves l or r by one and emits the
/// difference of multiplicities as <c>+I</c> or <c>-D</c> copies of the row. Invariant: after each record, the
/// emitted multiset (additions minus withdrawals) holds each row with its multiplicity over the current counts. A
/// withdrawal of a copy the state does not hold is ignored. Each subtask runs its own instance; all calls come from
/// its task thread.
/// </summary>
internal sealed class SetOperationFunction : KeyedCoProcessFunction<Row, Change<Row>, Change<Row>, Change<Row>>
{
    private readonly SetOperator _operator;
    private readonly bool _all;
    private ValueState<Row> _counts = null!;

    /// <param name="setOperator"><see cref="SetOperator.Intersect"/> or <see cref="SetOperator.Except"/>.</param>
    /// <param name="all">Multiset (ALL) rather than set semantics.</param>
    public SetOperationFunction(SetOperator setOperator, bool all)
    {
        _operator = setOperator;
        _all = all;
    }

    /// <inheritdoc/>
    public override void Open(RuntimeContext context) =>
        _counts = context.GetState(new ValueStateDescriptor<Row>("set-operation-counts"));

    /// <inheritdoc/>
    public override void ProcessElement1(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output) =>
        Count(value, left: true, output);

    /// <inheritdoc/>
    public override void ProcessElement2(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output) =>
        Count(value, left: false, output);

    private void Count(Change<Row> value, bool left, Collector<Change<Row>> output)
    {
        long l = 0, r = 0;
        if (_counts.HasValue)
        {
            var stored = _counts.Value;
            l = (long)stored[0]!;
            r = (long)stored[1]!;
        }

        var before = Multiplicity(l, r);
        var step = value.IsAddition ? 1 : -1;
        if (left)
        {
            l = Math.Max(0, l + step);
        }
        else
        {
            r = Math.Max(0, r + step);
        }

        var after = Multiplicity(l, r);
        var kind = after > before ? RowKind.Insert : RowKind.Delete;
        for (var i = Math.Abs(after - before); i > 0; i--)
        {
            output.Collect(new Change<Row>(kind, value.Row));
        }

        if (l == 0 && r == 0)
        {
            _counts.Clear();
        }
        else
        {
            _counts.Update(new Row(l, r));
        }
    }

    private long Multiplicity(long left, long right) => (_operator, _all) switch
    {
        (SetOperator.Intersect, true) => Math.Min(left, right),
        (SetOperator.Intersect, false) => left > 0 && right > 0 ? 1 : 0,
        (_, true) => Math.Max(left - right, 0),
        _ => left > 0 && right == 0 ? 1 : 0,
    };
}
