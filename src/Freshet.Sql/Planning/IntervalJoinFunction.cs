using Freshet.Sql.Binding;
using Freshet.Sql.Runtime;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// SQL's interval join (Flink's <c>RowTimeIntervalJoin</c>), keyed by the equality keys: a left row at <c>l</c> and a
/// right row at <c>r</c> (their rowtime columns, epoch ms) join when <c>lower ≤ r − l ≤ upper</c> and the rest of the
/// condition holds. Each side keeps its rows per key in a list state of <c>[time, matched, row]</c> rows. A new row
/// joins the kept rows of the other side, then is kept while a row of the other side can still match it: a left row
/// until the watermark reaches <c>l + upper</c>, a right row until it reaches <c>r − lower</c> (watermark W promises no
/// more rows at times ≤ W). An event-time timer then drops it; for an outer side it first emits the row padded with
/// NULLs if it never matched. A row that arrives too late to be kept is joined with what is kept and padded at once,
/// as Flink does. The output is append-only. Runs on its subtask's task thread only.
/// </summary>
internal sealed class IntervalJoinFunction : KeyedCoProcessFunction<Row, Change<Row>, Change<Row>, Change<Row>>
{
    private readonly int _leftTime;
    private readonly int _rightTime;
    private readonly long _lowerMs;
    private readonly long _upperMs;
    private readonly bool _padLeft;
    private readonly bool _padRight;
    private readonly Func<Row, Row, bool>? _condition;
    private readonly Func<Row?, Row?, Row> _combine;
    private ListState<Row> _lefts = null!;
    private ListState<Row> _rights = null!;

    /// <param name="pattern">The time columns and bounds.</param>
    /// <param name="padLeft">Emit left rows that never match, padded (LEFT and FULL joins).</param>
    /// <param name="padRight">Emit right rows that never match, padded (RIGHT and FULL joins).</param>
    /// <param name="condition">The rest of the ON condition over a pair, or null.</param>
    /// <param name="combine">The output row of a pair; a null side is padded with NULLs.</param>
    public IntervalJoinFunction(IntervalJoinPattern pattern, bool padLeft, bool padRight, Func<Row, Row, bool>? condition, Func<Row?, Row?, Row> combine)
    {
        _leftTime = pattern.LeftTime;
        _rightTime = pattern.RightTime;
        _lowerMs = pattern.LowerMs;
        _upperMs = pattern.UpperMs;
        _padLeft = padLeft;
        _padRight = padRight;
        _condition = condition;
        _combine = combine;
    }

    /// <inheritdoc/>
    public override void Open(RuntimeContext context)
    {
        _lefts = context.GetListState(new ListStateDescriptor<Row>("interval-join-left"));
        _rights = context.GetListState(new ListStateDescriptor<Row>("interval-join-right"));
    }

    /// <inheritdoc/>
    public override void ProcessElement1(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output) =>
        Process(value.Row, value.Row[_leftTime], isLeft: true, context, output);

    /// <inheritdoc/>
    public override void ProcessElement2(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output) =>
        Process(value.Row, value.Row[_rightTime], isLeft: false, context, output);

    private void Process(Row row, object? timeValue, bool isLeft, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        var pad = isLeft ? _padLeft : _padRight;
        if (timeValue is null)
        {
            if (pad)
            {
                output.Collect(Change.Insert(isLeft ? _combine(row, null) : _combine(null, row)));
            }

            return;
        }

        var time = SqlValues.ToEpochMillis(timeValue);
        var others = isLeft ? _rights : _lefts;
        var otherPads = isLeft ? _padRight : _padLeft;
        var matched = false;
        List<Row>? updatedOthers = null;
        var kept = others.Get();
        for (var i = 0; i < kept.Count; i++)
        {
            var entry = kept[i];
            var otherTime = (long)entry[0]!;
            var other = (Row)entry[2]!;
            var difference = isLeft ? otherTime - time : time - otherTime;
            if (difference < _lowerMs || difference > _upperMs)
            {
                continue;
            }

            var (left, right) = isLeft ? (row, other) : (other, row);
            if (_condition is not null && !_condition(left, right))
            {
                continue;
            }

            output.Collect(Change.Insert(_combine(left, right)));
            matched = true;
            if (otherPads && !(bool)entry[1]!)
            {
                updatedOthers ??= [.. kept];
                updatedOthers[i] = new Row(otherTime, true, other);
            }
        }

        if (updatedOthers is not null)
        {
            others.Update(updatedOthers);
        }

        var expiry = ExpiryOf(time, isLeft);
        if (context.TimerService.CurrentWatermark < expiry)
        {
            (isLeft ? _lefts : _rights).Add(new Row(time, matched, row));
            context.TimerService.RegisterEventTimeTimer(expiry);
        }
        else if (pad && !matched)
        {
            output.Collect(Change.Insert(isLeft ? _combine(row, null) : _combine(null, row)));
        }
    }

    /// <inheritdoc/>
    public override void OnTimer(long timestamp, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        var watermark = context.TimerService.CurrentWatermark;
        Expire(_lefts, isLeft: true, watermark, output);
        Expire(_rights, isLeft: false, watermark, output);
    }

    private void Expire(ListState<Row> rows, bool isLeft, long watermark, Collector<Change<Row>> output)
    {
        var kept = rows.Get();
        if (kept.Count == 0)
        {
            return;
        }

        var remaining = new List<Row>(kept.Count);
        foreach (var entry in kept)
        {
            if (ExpiryOf((long)entry[0]!, isLeft) > watermark)
            {
                remaining.Add(entry);
            }
            else if ((isLeft ? _padLeft : _padRight) && !(bool)entry[1]!)
            {
                var row = (Row)entry[2]!;
                output.Collect(Change.Insert(isLeft ? _combine(row, null) : _combine(null, row)));
            }
        }

        if (remaining.Count == 0)
        {
            rows.Clear();
        }
        else if (remaining.Count < kept.Count)
        {
            rows.Update(remaining);
        }
    }

    /// <summary>The watermark at which a row at <paramref name="time"/> can match no future row of the other side.</summary>
    private long ExpiryOf(long time, bool isLeft) => Saturating(time, isLeft ? _upperMs : -_lowerMs);

    private static long Saturating(long a, long b)
    {
        var sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? long.MaxValue : long.MinValue) : sum;
    }
}
