using Freshet.Sql.Binding;
using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    /// <summary>Whether the SELECT list has an aggregate call with OVER.</summary>
    private static bool HasOverAggregate(BoundSelect select) =>
        select.Projections.SelectMany(BoundExpressionRewriter.Nodes).Any(node => node is BoundCall { Kind: BoundFunctionKind.Aggregate, Over: not null });

    // A SELECT with OVER aggregates (Flink's OverAggregate): WHERE first, then keyed by the PARTITION BY values, one
    // OverAggregateFunction appends the aggregates to each row, then the SELECT list reads (input ++ aggregates).
    // All OVER calls of one SELECT share one window, as Flink requires of streaming OVER aggregations.
    private PlannedRelation PlanOverAggregate(BoundSelect select)
    {
        RefuseOver(select);
        var input = Filtered(Plan(select.Input!), select.Filter);
        if (input.Changelog != ChangelogKind.AppendOnly)
        {
            throw new SqlValidationException("OVER aggregation over an updating input is not supported", select.Span);
        }

        var calls = new List<BoundCall>();
        foreach (var node in select.Projections.SelectMany(BoundExpressionRewriter.Nodes))
        {
            if (node is BoundCall { Kind: BoundFunctionKind.Aggregate, Over: not null } call && !calls.Contains(call))
            {
                calls.Add(call);
            }
        }

        var window = calls[0].Over!;
        foreach (var call in calls)
        {
            var other = call.Over!;
            if (!other.PartitionBy.Equals(window.PartitionBy) || !other.OrderBy.Equals(window.OrderBy) || other.Rows != window.Rows || !Equals(other.Preceding, window.Preceding))
            {
                throw new SqlValidationException("All OVER aggregates of one SELECT must use the same window (PARTITION BY, ORDER BY and frame)", call.Span);
            }
        }

        if (window.OrderBy[0].Expression is not BoundColumnReference { } order)
        {
            throw new SqlValidationException("OVER aggregation must be ordered by a time attribute column", window.OrderBy[0].Expression.Span);
        }

        var frame = new OverFrame(window.Rows, window.Preceding is { } preceding ? FrameOffset(preceding, window.Rows) : null);
        var eventTime = input.Columns[order.Ordinal].Type.TimeAttribute == TimeAttributeKind.Rowtime;
        var function = SqlAggregates.Create(calls.Select(c => c with { Over = null }).ToList());
        var inputTypes = input.Columns.Select(c => c.Type).ToList();
        var key = ExpressionCompiler.CompileProjection(window.PartitionBy);
        var stream = input.Stream
            .KeyBy(change => key(change.Row))
            .Process(new OverAggregateFunction(function, frame, order.Ordinal, eventTime,
                new RowArraySerializer(inputTypes), RowSerializers.For([.. inputTypes, SqlType.BigInt.WithNullable(false)])))
            .WithName("OverAggregate");

        var width = input.Columns.Count;
        var columns = input.Columns.Concat(calls.Select((c, i) => new BoundColumn($"w0$o{i}", c.Type)));
        var arguments = $"partitionBy=[{BoundExpressionText.Format(window.PartitionBy, input.Columns)}], orderBy=[{input.Columns[order.Ordinal].Name} ASC], "
            + $"window=[{frame}], select=[{string.Join(", ", input.Columns.Select(c => c.Name))}, "
            + string.Join(", ", calls.Select((c, i) => $"{BoundExpressionText.Format(c with { Over = null }, input.Columns)} AS w0$o{i}")) + "]";
        var aggregated = new PlannedRelation(stream, new(columns), ChangelogKind.AppendOnly, new PlanNode("OverAggregate", arguments, "I", [input.Plan]));

        var projections = BoundExpressionRewriter.Rewrite(select.Projections, node => node is BoundCall { Kind: BoundFunctionKind.Aggregate, Over: not null } call
            ? new BoundColumnReference(width + calls.IndexOf(call), $"w0$o{calls.IndexOf(call)}") { Type = call.Type, Span = call.Span }
            : null);
        return Calc(aggregated, null, projections, select.Columns);
    }

    /// <summary>A frame's PRECEDING offset: a row count (ROWS) or milliseconds (RANGE).</summary>
    private static long FrameOffset(BoundExpression preceding, bool rows)
    {
        var value = ExpressionCompiler.Compile(preceding)(new Row());
        var offset = rows ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : Millis(value, preceding);
        return offset >= 0 ? offset : throw new SqlValidationException("An OVER frame's PRECEDING offset must not be negative", preceding.Span);
    }
}
