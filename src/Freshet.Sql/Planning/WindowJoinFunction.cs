using Freshet.Sql.Binding;
using Freshet.Sql.Runtime;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// SQL's window join (Flink's <c>WindowJoinOperator</c>), keyed by the equality keys, window_start and window_end
/// among them, so one key holds the rows of one window. Both sides' rows wait in list state; an event-time timer at
/// window_end − 1 ms joins them (pairs that pass the rest of the condition; unmatched rows of an outer side padded
/// with NULLs), emits the results as inserts and clears the key's state. A row whose window the watermark has already
/// closed is late and dropped, as in Flink. Runs on its subtask's task thread only.
/// </summary>
internal sealed class WindowJoinFunction : KeyedCoProcessFunction<Row, Change<Row>, Change<Row>, Change<Row>>
{
    private readonly int _leftEnd;
    private readonly int _rightEnd;
    private readonly bool _padLeft;
    private readonly bool _padRight;
    private readonly Func<Row, Row, bool>? _condition;
    private readonly Func<Row?, Row?, Row> _combine;
    private ListState<Row> _lefts = null!;
    private ListState<Row> _rights = null!;

    /// <param name="pattern">Where window_end is in each side's row.</param>
    /// <param name="padLeft">Emit left rows without a match, padded (LEFT and FULL joins).</param>
    /// <param name="padRight">Emit right rows without a match, padded (RIGHT and FULL joins).</param>
    /// <param name="condition">The rest of the ON condition over a pair, or null.</param>
    /// <param name="combine">The output row of a pair; a null side is padded with NULLs.</param>
    public WindowJoinFunction(WindowJoinPattern pattern, bool padLeft, bool padRight, Func<Row, Row, bool>? condition, Func<Row?, Row?, Row> combine)
    {
        _leftEnd = pattern.LeftEnd;
        _rightEnd = pattern.RightEnd;
        _padLeft = padLeft;
        _padRight = padRight;
        _condition = condition;
        _combine = combine;
    }

    /// <inheritdoc/>
    public override void Open(RuntimeContext context)
    {
        _lefts = context.GetListState(new ListStateDescriptor<Row>("window-join-left"));
        _rights = context.GetListState(new ListStateDescriptor<Row>("window-join-right"));
    }

    /// <inheritdoc/>
    public override void ProcessElement1(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output) =>
        Keep(_lefts, value.Row, value.Row[_leftEnd], context);

    /// <inheritdoc/>
    public override void ProcessElement2(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output) =>
        Keep(_rights, value.Row, value.Row[_rightEnd], context);

    private static void Keep(ListState<Row> rows, Row row, object? windowEnd, KeyedProcessContext<Row> context)
    {
        var lastTimestamp = SqlValues.ToEpochMillis(windowEnd!) - 1;
        if (lastTimestamp <= context.TimerService.CurrentWatermark)
        {
            return;
        }

        rows.Add(row);
        context.TimerService.RegisterEventTimeTimer(lastTimestamp);
    }

    /// <inheritdoc/>
    public override void OnTimer(long timestamp, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        var lefts = _lefts.Get();
        var rights = _rights.Get();
        var rightMatched = _padRight ? new bool[rights.Count] : null;
        foreach (var left in lefts)
        {
            var matched = false;
            for (var i = 0; i < rights.Count; i++)
            {
                if (_condition is null || _condition(left, rights[i]))
                {
                    output.Collect(Change.Insert(_combine(left, rights[i])));
                    matched = true;
                    if (rightMatched is not null)
                    {
                        rightMatched[i] = true;
                    }
                }
            }

            if (_padLeft && !matched)
            {
                output.Collect(Change.Insert(_combine(left, null)));
            }
        }

        if (rightMatched is not null)
        {
            for (var i = 0; i < rights.Count; i++)
            {
                if (!rightMatched[i])
                {
                    output.Collect(Change.Insert(_combine(null, rights[i])));
                }
            }
        }

        _lefts.Clear();
        _rights.Clear();
    }
}
