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
        if (TryPlanMergedCalc(select) is { } merged)
        {
            return merged;
        }

        var (input, filter) = PlanInput(select);
        return Calc(input, filter, select.Projections, select.Columns);
    }

    /// <summary>
    /// Flink's CalcMergeRule: a SELECT without aggregation directly over others (a query over a view over a view) and
    /// over a table scan's computed columns becomes one Calc over the lowest input, with the upper expressions
    /// rewritten onto the lower ones, so a row is evaluated and copied once instead of once per level. The filters stay
    /// in their order, each evaluated only on rows the ones below let through, as before. A lower expression read
    /// above is inlined only when it is deterministic, so evaluating it where it is read (twice, if it is read twice)
    /// gives the same values; otherwise, and for anything but plain SELECTs, nothing is merged (null).
    /// </summary>
    private PlannedRelation? TryPlanMergedCalc(BoundSelect select)
    {
        if (!IsPlainCalc(select) || select.Input is null)
        {
            return null;
        }

        List<BoundExpression> filters = select.Filter is null ? [] : [select.Filter];
        var projections = select.Projections;
        var input = select.Input;
        var merged = false;
        while (input is BoundSelect inner && IsPlainCalc(inner) && inner.Input is not null && CanInline(inner.Projections, filters, projections))
        {
            (filters, projections) = Inline(inner.Projections, inner.Filter, filters, projections);
            input = inner.Input;
            merged = true;
        }

        if (input is BoundTableScan scan && ComputedColumns(scan) is { } scanRow && CanInline(scanRow, filters, projections))
        {
            (filters, projections) = Inline(scanRow, null, filters, projections);
            var source = PlanScan(scan, computeColumns: false);
            return MergedCalc(source, filters, projections, select.Columns);
        }

        return merged ? MergedCalc(Plan(input), filters, projections, select.Columns) : null;
    }

    /// <summary>A SELECT that is only a filter and a projection: no aggregation, DISTINCT, OVER or subquery.</summary>
    private static bool IsPlainCalc(BoundSelect select) =>
        !select.IsAggregate && !select.IsWindowAggregate && !select.Distinct && select.GroupBy.Count == 0 && select.Having is null
        && select.Projections.Append(select.Filter).OfType<BoundExpression>().SelectMany(BoundExpressionRewriter.Nodes)
            .All(static n => n is not BoundSubquery and not BoundCall { Over: not null } and not BoundCall { Kind: not BoundFunctionKind.Scalar });

    /// <summary>Whether every lower expression the upper ones read can replace its column (see <see cref="TryPlanMergedCalc"/>).</summary>
    private static bool CanInline(IReadOnlyList<BoundExpression> lower, List<BoundExpression> filters, NodeList<BoundExpression> projections)
    {
        var read = new bool[lower.Count];
        foreach (var ordinal in filters.Concat(projections).SelectMany(BoundExpressionRewriter.ColumnsRead))
        {
            read[ordinal] = true;
        }

        for (var i = 0; i < lower.Count; i++)
        {
            if (read[i] && BoundExpressionRewriter.Nodes(lower[i]).Any(static n => n is BoundSubquery or BoundCall { Kind: not BoundFunctionKind.Scalar } or BoundCall { Over: not null } || IsNondeterministic(n)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Functions whose value may differ between two evaluations on the same row.</summary>
    private static bool IsNondeterministic(BoundExpression node) => node is BoundCall
    {
        Function: "CURRENT_TIMESTAMP" or "NOW" or "PROCTIME" or "LOCALTIMESTAMP" or "LOCALTIME" or "CURRENT_DATE" or "CURRENT_TIME"
            or "CURRENT_ROW_TIMESTAMP" or "UNIX_TIMESTAMP" or "RAND" or "RAND_INTEGER" or "UUID",
    };

    private static (List<BoundExpression> Filters, NodeList<BoundExpression> Projections) Inline(
        IReadOnlyList<BoundExpression> lower, BoundExpression? lowerFilter, List<BoundExpression> filters, NodeList<BoundExpression> projections)
    {
        BoundExpression? Replace(BoundExpression node) => node is BoundColumnReference column ? lower[column.Ordinal] : null;
        List<BoundExpression> merged = lowerFilter is null ? [] : [lowerFilter];
        merged.AddRange(filters.Select(f => BoundExpressionRewriter.Rewrite(f, Replace)));
        return (merged, BoundExpressionRewriter.Rewrite(projections, Replace));
    }

    /// <summary>The scan row of a table with computed columns read by a connector (not a DataStream or upsert table),
    /// or null.</summary>
    private static IReadOnlyList<BoundExpression>? ComputedColumns(BoundTableScan scan)
    {
        var table = scan.Table;
        if (table.Connector == DataStreamTableConnector || table.IsUpsertSource || table.Columns.All(static c => c.Kind != Catalog.CatalogColumnKind.Computed))
        {
            return null;
        }

        return CatalogExpressions.ScanRow(table);
    }

    /// <summary>One Calc of the merged filters (each in turn) and projections over <paramref name="input"/>.</summary>
    private static PlannedRelation MergedCalc(PlannedRelation input, List<BoundExpression> filters, NodeList<BoundExpression> projections, NodeList<BoundColumn> columns)
    {
        if (filters.Count <= 1)
        {
            return Calc(input, filters.Count == 0 ? null : filters[0], projections, columns);
        }

        var predicates = filters.Select(static f => ExpressionCompiler.CompilePredicate(f)).ToArray();
        var project = ExpressionCompiler.CompileProjection(projections);
        var stream = input.Stream.FlatMap<Change<Row>>((change, output) =>
        {
            foreach (var predicate in predicates)
            {
                if (!predicate(change.Row))
                {
                    return;
                }
            }

            output.Collect(WithRow(change, project(change.Row)));
        }).WithName("Calc");
        stream = Forwarded(stream, input.Stream);
        var arguments = $"select=[{BoundExpressionText.Format(projections, input.Columns)}], where=[{string.Join(" AND ", filters.Select(f => BoundExpressionText.Format(f, input.Columns)))}]";
        return new PlannedRelation(stream, columns, input.Changelog,
            new PlanNode("Calc", arguments, PlannedRelation.ModeText(input.Changelog), [input.Plan]))
        {
            Window = PassWindow(input.Window, projections),
        };
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
        }
    }

    /// <summary>The one empty row a SELECT without FROM reads.</summary>
    private PlannedRelation SingleRow()
    {
        var stream = _environment.FromCollection([Change.Insert(new Row())], name: "Values");
        return new PlannedRelation(stream, new([]), ChangelogKind.AppendOnly, new PlanNode("Values", "tuples=[[]]", "I", []));
    }
}
