using Freshet.Sql.Binding;
using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    // TUMBLE, HOP and CUMULATE assign each row to its windows here (a row in k windows becomes k rows, each with
    // window_start, window_end and window_time appended); the window aggregation downstream only groups and fires.
    // Times are epoch milliseconds of the time attribute; windows are [start, end).
    private PlannedRelation PlanWindowTableFunction(BoundWindowTableFunction window)
    {
        var input = Plan(window.Input);
        if (input.Changelog != ChangelogKind.AppendOnly)
        {
            throw new SqlValidationException($"{window.Function} over an updating input does not run yet", window.Span);
        }

        if (window.Function == "SESSION")
        {
            throw new SqlValidationException("The SESSION window table function runs only directly under a window aggregation (GROUP BY window_start, window_end and its partition keys)", window.Span);
        }

        var empty = new Row();
        var parameters = window.Parameters.Select(p => Millis(ExpressionCompiler.Compile(p)(empty), p)).ToArray();
        var (size, slide, offset) = window.Function switch
        {
            "TUMBLE" => (parameters[0], parameters[0], parameters.Length > 1 ? parameters[1] : 0),
            // HOP(slide, size), CUMULATE(step, size): the second is the size.
            _ => (parameters[1], parameters[0], parameters.Length > 2 ? parameters[2] : 0),
        };
        if (size <= 0 || slide <= 0)
        {
            throw new SqlValidationException($"{window.Function} needs positive intervals", window.Span);
        }

        if (window.Function != "TUMBLE" && size % slide != 0)
        {
            throw new SqlValidationException($"{window.Function}'s size must be a whole multiple of its {(window.Function == "HOP" ? "slide" : "step")}", window.Span);
        }

        var time = window.TimeColumn;
        var timeType = input.Columns[time].Type;
        var cumulate = window.Function == "CUMULATE";
        var stream = input.Stream.FlatMap<Change<Row>>((change, output) =>
        {
            if (change.Row[time] is not { } value)
            {
                return;
            }

            var timestamp = SqlValues.ToEpochMillis(value);
            if (cumulate)
            {
                var start = timestamp - Modulo(timestamp - offset, size);
                for (var end = start + slide; end <= start + size; end += slide)
                {
                    if (end > timestamp)
                    {
                        output.Collect(WithRow(change, Windowed(change.Row, start, end, timeType)));
                    }
                }
            }
            else
            {
                for (var start = timestamp - Modulo(timestamp - offset, slide); start > timestamp - size; start -= slide)
                {
                    output.Collect(WithRow(change, Windowed(change.Row, start, start + size, timeType)));
                }
            }
        }).WithName(window.Function);
        stream = Forwarded(stream, input.Stream);

        var width = input.Columns.Count;
        var arguments = $"{window.Function}(time_col=[{input.Columns[time].Name}], size=[{size}ms]"
            + (window.Function == "TUMBLE" ? string.Empty : $", {(cumulate ? "step" : "slide")}=[{slide}ms]")
            + (offset == 0 ? string.Empty : $", offset=[{offset}ms]") + ")";
        return new PlannedRelation(stream, window.Columns, ChangelogKind.AppendOnly, new PlanNode("WindowTableFunction", arguments, "I", [input.Plan]))
        {
            Window = (width, width + 1),
        };
    }

    private static Row Windowed(Row row, long start, long end, SqlType timeType)
    {
        var values = new object?[row.Arity + 3];
        row.Values.CopyTo(values);
        values[row.Arity] = SqlValues.FromEpochMillis(start, SqlType.Timestamp(3));
        values[row.Arity + 1] = SqlValues.FromEpochMillis(end, SqlType.Timestamp(3));
        values[row.Arity + 2] = SqlValues.FromEpochMillis(end - 1, timeType);
        return new Row(values);
    }

    private static long Modulo(long value, long divisor)
    {
        var remainder = value % divisor;
        return remainder < 0 ? remainder + divisor : remainder;
    }

    private static long Millis(object? interval, BoundExpression at) => interval is TimeSpan span
        ? (long)span.TotalMilliseconds
        : throw new SqlValidationException("Window sizes must be day-time intervals", at.Span);
}
