using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Runtime;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    // WHERE and the SELECT list of a block without aggregation: one FlatMap that keeps each change's kind. Filtering
    // both halves of an update on their own is correct for a retracting consumer: a -U whose +U is filtered out
    // withdraws the old row, which is what the update means for this result.
    private PlannedRelation PlanCalc(BoundSelect select)
    {
        RefuseOver(select);
        var (input, filter) = PlanInput(select);
        return Calc(input, filter, select.Projections, select.Columns);
    }

    /// <summary>A filter and projection over <paramref name="input"/>; nothing when both are identities.</summary>
    private static PlannedRelation Calc(PlannedRelation input, BoundExpression? filter, NodeList<BoundExpression> projections, NodeList<BoundColumn> columns)
    {
        var identity = projections.Count == input.Columns.Count
            && projections.Select((p, i) => p is BoundColumnReference c && c.Ordinal == i).All(same => same);
        if (filter is null && identity)
        {
            return input with { Columns = columns };
        }

        var predicate = filter is null ? null : ExpressionCompiler.CompilePredicate(filter);
        var project = identity ? null : ExpressionCompiler.CompileProjection(projections);
        var stream = input.Stream.FlatMap<Change<Row>>((change, output) =>
        {
            if (predicate is null || predicate(change.Row))
            {
                output.Collect(project is null ? change : WithRow(change, project(change.Row)));
            }
        }).WithName("Calc");
        stream = Forwarded(stream, input.Stream);

        var arguments = $"select=[{BoundExpressionText.Format(projections, input.Columns)}]"
            + (filter is null ? string.Empty : $", where=[{BoundExpressionText.Format(filter, input.Columns)}]");
        return new PlannedRelation(stream, columns, input.Changelog,
            new PlanNode("Calc", arguments, PlannedRelation.ModeText(input.Changelog), [input.Plan]))
        {
            Window = PassWindow(input.Window, projections),
        };
    }

    /// <summary>Where window_start and window_end land after a projection, if it keeps both.</summary>
    private static (int Start, int End)? PassWindow((int Start, int End)? window, NodeList<BoundExpression> projections)
    {
        if (window is not { } w)
        {
            return null;
        }

        int start = -1, end = -1;
        for (var i = 0; i < projections.Count; i++)
        {
            if (projections[i] is BoundColumnReference reference)
            {
                start = reference.Ordinal == w.Start && start < 0 ? i : start;
                end = reference.Ordinal == w.End && end < 0 ? i : end;
            }
        }

        return start >= 0 && end >= 0 ? (start, end) : null;
    }

    private static void RefuseOver(BoundSelect select)
    {
        foreach (var node in select.Projections.SelectMany(BoundExpressionRewriter.Nodes))
        {
            if (node is BoundCall { Kind: BoundFunctionKind.Ranking } ranking)
            {
                throw new SqlValidationException(ranking.Function == "ROW_NUMBER"
                    ? "ROW_NUMBER() OVER runs only as Top-N or deduplication: number rows in a subquery and bound the number in the enclosing WHERE (rn <= N)"
                    : $"{ranking.Function}() OVER does not run yet; Top-N and deduplication run with ROW_NUMBER()", ranking.Span);
            }

            if (node is BoundCall { Over: not null } over)
            {
                throw new SqlValidationException($"OVER aggregation ({over.Function} OVER ...) does not run yet", over.Span);
            }
        }
    }

    /// <summary>The one empty row a SELECT without FROM reads.</summary>
    private PlannedRelation SingleRow()
    {
        var stream = _environment.FromCollection([Change.Insert(new Row())], name: "Values");
        return new PlannedRelation(stream, new([]), ChangelogKind.AppendOnly, new PlanNode("Values", "tuples=[[]]", "I", []));
    }
}
