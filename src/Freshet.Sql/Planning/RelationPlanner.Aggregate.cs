using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Typing;
using Freshet.Sql.Runtime;
using Freshet.Streaming;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    // GROUP BY without a window, a global aggregate, or SELECT DISTINCT: keyed by the grouping values, one
    // retracting accumulator per group (AggregateChanges), then HAVING and the SELECT list over (keys ++ results).
    private PlannedRelation PlanGroupAggregate(BoundSelect select)
    {
        RefuseOver(select);
        if (select.Distinct)
        {
            return Distinct(Plan(select with { Distinct = false }), select.Columns);
        }

        var (unfiltered, filter) = PlanInput(select);
        var input = Filtered(unfiltered, filter);
        var aggregation = CollectAggregation(select);
        var function = SqlAggregates.Create(aggregation.Calls);
        var key = ExpressionCompiler.CompileProjection(select.GroupBy);
        var stream = input.Stream
            .KeyBy(change => key(change.Row))
            .AggregateChanges(function, static (keys, results) => Concat(keys, results), function.AccumulatorSerializer)
            .WithName("GroupAggregate");
        var arguments = $"groupBy=[{BoundExpressionText.Format(select.GroupBy, input.Columns)}], select=[{BoundExpressionText.Format(aggregation.Calls, input.Columns)}]";
        var aggregated = new PlannedRelation(stream, aggregation.Columns, ChangelogKind.Updating,
            new PlanNode("GroupAggregate", arguments, "I,UB,UA,D", [input.Plan]));
        return Finish(aggregated, select, aggregation);
    }

    // GROUP BY window_start, window_end (and other keys) over a window table function: one accumulator per key and
    // window, emitted once when the watermark passes the window's end, then dropped (Flink's WindowAggregate).
    private PlannedRelation PlanWindowAggregate(BoundSelect select)
    {
        if (select.Input is BoundWindowTableFunction { Function: "SESSION" } session)
        {
            return PlanSessionWindowAggregate(select, session);
        }

        RefuseOver(select);
        var (unfiltered, filter) = PlanInput(select);
        var input = Filtered(unfiltered, filter);
        if (input.Changelog != ChangelogKind.AppendOnly)
        {
            throw new SqlValidationException("A window aggregation over an updating input does not run yet", select.Span);
        }

        if (input.Window is not { } window)
        {
            throw new SqlValidationException("This window aggregation's window_start and window_end cannot be traced to a window table function", select.Span);
        }

        var aggregation = CollectAggregation(select);
        var startKey = IndexOfColumn(select.GroupBy, window.Start);
        var endKey = IndexOfColumn(select.GroupBy, window.End);
        if (startKey < 0 || endKey < 0)
        {
            throw new SqlValidationException("A window aggregation must GROUP BY window_start and window_end themselves", select.Span);
        }

        var function = SqlAggregates.Create(aggregation.Calls);
        DataStream<Change<Row>> stream;
        if (ProcessingTimeWindow(select.Input) is { } tumble)
        {
            // The operator assigns each row to the window of its own processing time, so the key leaves the window out.
            var (size, offset) = TumbleSizeAndOffset(tumble);
            var keyWithoutWindow = ExpressionCompiler.CompileProjection(select.GroupBy.Where((_, i) => i != startKey && i != endKey).ToArray());
            stream = input.Stream
                .KeyBy(change => keyWithoutWindow(change.Row))
                .Process(new ProcessingTimeWindowAggregateFunction(function, size, offset, startKey, endKey))
                .WithName("WindowAggregate");
        }
        else
        {
            var key = ExpressionCompiler.CompileProjection(select.GroupBy);
            stream = input.Stream
                .KeyBy(change => key(change.Row))
                .Process(new WindowAggregateFunction(function, endKey))
                .WithName("WindowAggregate");
        }

        var arguments = $"groupBy=[{BoundExpressionText.Format(select.GroupBy, input.Columns)}], select=[{BoundExpressionText.Format(aggregation.Calls, input.Columns)}]";
        var aggregated = new PlannedRelation(stream, aggregation.Columns, ChangelogKind.AppendOnly,
            new PlanNode("WindowAggregate", arguments, "I", [input.Plan]))
        {
            Window = (startKey, endKey),
        };
        return Finish(aggregated, select, aggregation);
    }

    /// <summary>
    /// The window table function under a window aggregation's input (through projections and filters) when it windows
    /// a processing-time attribute; null for event time.
    /// </summary>
    /// <exception cref="SqlValidationException">A HOP or CUMULATE over processing time, or a window aggregation of
    /// one over processing time (not run yet).</exception>
    private static BoundWindowTableFunction? ProcessingTimeWindow(BoundRelation? relation)
    {
        switch (relation)
        {
            case BoundWindowTableFunction window when window.Input.Columns[window.TimeColumn].Type.TimeAttribute == TimeAttributeKind.Proctime:
                return window.Function == "TUMBLE"
                    ? window
                    : throw new SqlValidationException($"A window aggregation of {window.Function} over a processing-time attribute does not run yet; use TUMBLE or an event-time attribute", window.Span);
            case BoundSelect { IsWindowAggregate: true } inner when ProcessingTimeWindow(inner.Input) is not null:
                throw new SqlValidationException("A window aggregation over a processing-time window aggregation does not run yet", inner.Span);
            case BoundSelect inner:
                return ProcessingTimeWindow(inner.Input);
            default:
                return null;
        }
    }

    private static (long Size, long Offset) TumbleSizeAndOffset(BoundWindowTableFunction tumble)
    {
        var empty = new Row();
        var parameters = tumble.Parameters.Select(p => Millis(ExpressionCompiler.Compile(p)(empty), p)).ToArray();
        return (parameters[0], parameters.Length > 1 ? parameters[1] : 0);
    }

    /// <summary>SELECT DISTINCT and UNION: a group per distinct row, with no aggregates; a row is emitted when its
    /// first copy arrives and deleted when its last copy is withdrawn.</summary>
    private static PlannedRelation Distinct(PlannedRelation input, NodeList<BoundColumn> columns)
    {
        var function = SqlAggregates.Create([]);
        var stream = input.Stream
            .KeyBy(static change => change.Row)
            .AggregateChanges(function, static (row, _) => row, function.AccumulatorSerializer)
            .WithName("Distinct");
        return new PlannedRelation(stream, columns, ChangelogKind.Updating,
            new PlanNode("GroupAggregate", $"groupBy=[{string.Join(", ", input.Columns.Select(c => c.Name))}], select=[]", "I,UB,UA,D", [input.Plan]));
    }

    private static PlannedRelation Filtered(PlannedRelation input, BoundExpression? filter)
    {
        if (filter is null)
        {
            return input;
        }

        var predicate = ExpressionCompiler.CompilePredicate(filter);
        var stream = Forwarded(input.Stream.Filter(change => predicate(change.Row)).WithName("Where"), input.Stream);
        return input with
        {
            Stream = stream,
            Plan = new PlanNode("Calc", $"where=[{BoundExpressionText.Format(filter, input.Columns)}]", PlannedRelation.ModeText(input.Changelog), [input.Plan]),
        };
    }

    /// <summary>The aggregate calls of a block and the columns of its aggregation's output (keys, then results).</summary>
    private static Aggregation CollectAggregation(BoundSelect select)
    {
        var calls = new List<BoundCall>();
        foreach (var expression in select.Having is null ? select.Projections : select.Projections.Append(select.Having))
        {
            foreach (var node in BoundExpressionRewriter.Nodes(expression))
            {
                if (node is BoundCall { Kind: BoundFunctionKind.Aggregate } call && !calls.Contains(call))
                {
                    calls.Add(call);
                }
            }
        }

        var columns = select.GroupBy.Select((k, i) => new BoundColumn($"$key{i}", k.Type))
            .Concat(calls.Select((c, i) => new BoundColumn($"$agg{i}", c.Type)));
        return new Aggregation(calls, new(columns));
    }

    /// <summary>HAVING and the SELECT list over the aggregation's output row (GROUP BY keys, then aggregate results).</summary>
    private static PlannedRelation Finish(PlannedRelation aggregated, BoundSelect select, Aggregation aggregation)
    {
        var keys = select.GroupBy;
        BoundExpression? ToOutput(BoundExpression node)
        {
            for (var i = 0; i < keys.Count; i++)
            {
                if (keys[i].Equals(node))
                {
                    return new BoundColumnReference(i, aggregated.Columns[i].Name) { Type = node.Type, Span = node.Span };
                }
            }

            if (node is BoundCall { Kind: BoundFunctionKind.Aggregate } call)
            {
                var index = keys.Count + aggregation.Calls.IndexOf(call);
                return new BoundColumnReference(index, aggregated.Columns[index].Name) { Type = node.Type, Span = node.Span };
            }

            return null;
        }

        var projections = BoundExpressionRewriter.Rewrite(select.Projections, ToOutput);
        var having = select.Having is null ? null : BoundExpressionRewriter.Rewrite(select.Having, ToOutput);
        return Calc(aggregated, having, projections, select.Columns);
    }

    private static int IndexOfColumn(NodeList<BoundExpression> expressions, int ordinal)
    {
        for (var i = 0; i < expressions.Count; i++)
        {
            if (expressions[i] is BoundColumnReference reference && reference.Ordinal == ordinal)
            {
                return i;
            }
        }

        return -1;
    }

    private sealed record Aggregation(List<BoundCall> Calls, NodeList<BoundColumn> Columns);
}
