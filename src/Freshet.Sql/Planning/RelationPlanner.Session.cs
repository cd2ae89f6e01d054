using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    // SESSION windows merge, so the table function cannot assign a row its window on its own: the window aggregation
    // directly over SESSION is planned as one operator (Flink's WindowAggregate with a session window), keyed by the
    // PARTITION BY values, which must be the GROUP BY keys besides window_start and window_end (as Flink requires).
    private PlannedRelation PlanSessionWindowAggregate(BoundSelect select, BoundWindowTableFunction session)
    {
        RefuseOver(select);
        var input = Plan(session.Input);
        if (input.Changelog != ChangelogKind.AppendOnly)
        {
            throw new SqlValidationException("SESSION over an updating input does not run yet", session.Span);
        }

        var time = session.TimeColumn;
        if (input.Columns[time].Type.TimeAttribute != TimeAttributeKind.Rowtime)
        {
            throw new SqlValidationException("SESSION windows on processing time do not run yet; use an event-time attribute", session.Span);
        }

        // window_start, window_end and window_time are the last three columns of SESSION's output; a session's bounds
        // are known only when it closes, so the WHERE and the aggregates may read only the input's columns.
        var width = session.Input.Columns.Count;
        var aggregation = CollectAggregation(select);
        var perRow = aggregation.Calls.SelectMany(c => c.Filter is null ? c.Arguments : c.Arguments.Append(c.Filter));
        if (select.Filter is not null)
        {
            perRow = perRow.Append(select.Filter);
        }

        foreach (var expression in perRow)
        {
            if (BoundExpressionRewriter.ColumnsRead(expression).Any(ordinal => ordinal >= width))
            {
                throw new SqlValidationException("Over SESSION, WHERE and aggregate arguments cannot read window_start, window_end or window_time: a session's bounds are known only when it closes", expression.Span);
            }
        }

        var startKey = IndexOfColumn(select.GroupBy, width);
        var endKey = IndexOfColumn(select.GroupBy, width + 1);
        var keys = select.GroupBy.Where((_, i) => i != startKey && i != endKey).ToList();
        if (startKey < 0 || endKey < 0 || keys.Count != session.PartitionBy.Count || !keys.All(session.PartitionBy.Contains) || !session.PartitionBy.All(keys.Contains))
        {
            var partition = session.PartitionBy.Count == 0 ? "no PARTITION BY keys" : $"PARTITION BY {BoundExpressionText.Format(session.PartitionBy, input.Columns)}";
            throw new SqlValidationException($"A window aggregation over SESSION must GROUP BY window_start, window_end and exactly the SESSION's partition keys ({partition})", select.Span);
        }

        var gap = Millis(ExpressionCompiler.Compile(session.Parameters[0])(new Row()), session.Parameters[0]);
        if (gap <= 0)
        {
            throw new SqlValidationException("SESSION needs a positive gap", session.Span);
        }

        var layout = new int[select.GroupBy.Count];
        for (int i = 0, key = 0; i < layout.Length; i++)
        {
            layout[i] = i == startKey ? SessionWindowAggregateFunction.WindowStart : i == endKey ? SessionWindowAggregateFunction.WindowEnd : key++;
        }

        var filtered = Filtered(input, select.Filter);
        var function = SqlAggregates.Create(aggregation.Calls);
        var keyOf = ExpressionCompiler.CompileProjection(new NodeList<BoundExpression>(keys.ToArray()));
        var stream = filtered.Stream
            .KeyBy(change => keyOf(change.Row))
            .Process(new SessionWindowAggregateFunction(function, time, gap, layout))
            .WithName("WindowAggregate");
        var sessionText = $"SESSION(time_col=[{input.Columns[time].Name}], gap=[{gap}ms]"
            + (session.PartitionBy.Count == 0 ? string.Empty : $", partition keys=[{BoundExpressionText.Format(session.PartitionBy, input.Columns)}]") + ")";
        var arguments = $"groupBy=[{BoundExpressionText.Format(keys, input.Columns)}], window=[{sessionText}], select=[{BoundExpressionText.Format(aggregation.Calls, input.Columns)}]";
        var aggregated = new PlannedRelation(stream, aggregation.Columns, ChangelogKind.AppendOnly,
            new PlanNode("WindowAggregate", arguments, "I", [filtered.Plan]))
        {
            Window = (startKey, endKey),
        };
        return Finish(aggregated, select, aggregation);
    }
}
