using Freshet.Sql.Runtime;
using Freshet.Streaming.Functions;
using Freshet.Streaming.Serialization;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// SQL's deduplication (Flink's Deduplicate): <c>ROW_NUMBER() OVER (PARTITION BY k ORDER BY time_attr) = 1</c> over
/// an append-only input keeps one row per key. The key is the PARTITION BY values. Which row is kept, as Flink's
/// deduplicate functions keep it:
/// <list type="bullet">
/// <item>processing time, ascending: the first row to arrive; later rows are dropped, so the output is append-only and
/// the state is one flag per key;</item>
/// <item>processing time, descending: the last row to arrive; each replaces the kept one (<c>-U(old)</c>,
/// <c>+U(new)</c>);</item>
/// <item>event time, ascending: the row with the smallest rowtime (the first to arrive among equals); a later-arriving
/// row with a smaller rowtime replaces it;</item>
/// <item>event time, descending: the row with the largest rowtime (the last to arrive among equals).</item>
/// </list>
/// Event-time rows are not held back for the watermark: the result is updated as rows arrive, as Flink's
/// RowTimeDeduplicateFunction does. Runs on the task thread only.
/// </summary>
internal sealed class DeduplicateFunction : KeyedProcessFunction<Row, Change<Row>, Change<Row>>
{
    private readonly int _rowtimeField;
    private readonly bool _keepLast;
    private readonly ISerializer<Row> _rowSerializer;
    private ValueState<bool> _seen = null!;
    private ValueState<Row> _kept = null!;

    /// <param name="rowtimeField">The position of the rowtime ordered by, or -1 when ordered by processing time.</param>
    /// <param name="keepLast">Whether the order is descending (the last row is kept).</param>
    /// <param name="rowSerializer">The serializer of input rows, for state.</param>
    public DeduplicateFunction(int rowtimeField, bool keepLast, ISerializer<Row> rowSerializer)
    {
        _rowtimeField = rowtimeField;
        _keepLast = keepLast;
        _rowSerializer = rowSerializer;
    }

    /// <summary>Whether the output only inserts (processing time, first row kept).</summary>
    public static bool IsAppendOnly(int rowtimeField, bool keepLast) => rowtimeField < 0 && !keepLast;

    /// <inheritdoc/>
    public override void Open(RuntimeContext context)
    {
        if (IsAppendOnly(_rowtimeField, _keepLast))
        {
            _seen = context.GetState(new ValueStateDescriptor<bool>("deduplicate-seen") { Serializer = Serializers.Boolean });
        }
        else
        {
            _kept = context.GetState(new ValueStateDescriptor<Row>("deduplicate-kept-row") { Serializer = _rowSerializer });
        }
    }

    /// <inheritdoc/>
    public override void ProcessElement(Change<Row> value, KeyedProcessContext<Row> context, Collector<Change<Row>> output)
    {
        var row = value.Row;
        if (IsAppendOnly(_rowtimeField, _keepLast))
        {
            if (!_seen.HasValue)
            {
                _seen.Update(true);
                output.Collect(Change.Insert(row));
            }

            return;
        }

        if (_rowtimeField >= 0 && row[_rowtimeField] is null)
        {
            return;
        }

        if (!_kept.HasValue)
        {
            _kept.Update(row);
            output.Collect(Change.Insert(row));
            return;
        }

        var kept = _kept.Value;
        if (Replaces(row, kept))
        {
            _kept.Update(row);
            output.Collect(Change.UpdateBefore(kept));
            output.Collect(Change.UpdateAfter(row));
        }
    }

    private bool Replaces(Row row, Row kept)
    {
        if (_rowtimeField < 0)
        {
            return true;
        }

        var time = SqlValues.ToEpochMillis(row[_rowtimeField]!);
        var keptTime = SqlValues.ToEpochMillis(kept[_rowtimeField]!);
        return _keepLast ? time >= keptTime : time < keptTime;
    }
}
