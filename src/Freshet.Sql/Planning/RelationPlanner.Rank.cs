using System.Globalization;
using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    /// <summary>
    /// The input of a SELECT block and the WHERE left to apply over it. When the input is a SELECT whose list has
    /// <c>ROW_NUMBER() OVER (...)</c> and this WHERE bounds that number (Flink's Top-N pattern), the input becomes a
    /// Top-N, deduplication or window Top-N and the bounds leave the WHERE.
    /// </summary>
    private (PlannedRelation Input, BoundExpression? Filter) PlanInput(BoundSelect select)
    {
        if (select.Input is BoundSelect { IsAggregate: false, Distinct: false } inner && RankingProjection(inner) is { } ranking)
        {
            return PlanRank(select, inner, ranking);
        }

        return (select.Input is null ? SingleRow() : Plan(select.Input), select.Filter);
    }

    /// <summary>The position of a ranking call that is a whole item of <paramref name="select"/>'s list, or null.</summary>
    private static int? RankingProjection(BoundSelect select)
    {
        for (var i = 0; i < select.Projections.Count; i++)
        {
            if (select.Projections[i] is BoundCall { Kind: BoundFunctionKind.Ranking })
            {
                return i;
            }
        }

        return null;
    }

    // Flink's Top-N, Deduplicate and WindowRank/WindowDeduplicate: the inner SELECT's input (after its WHERE) goes
    // through one keyed operator by the PARTITION BY values, then the inner SELECT's list is computed with the row
    // number as a column (or a constant, or nothing when the enclosing query never reads it).
    private (PlannedRelation Input, BoundExpression? Filter) PlanRank(BoundSelect outer, BoundSelect inner, int numberColumn)
    {
        var call = (BoundCall)inner.Projections[numberColumn];
        if (call.Function != "ROW_NUMBER")
        {
            throw new SqlValidationException($"{call.Function}() OVER does not run yet; Top-N and deduplication run with ROW_NUMBER()", call.Span);
        }

        var over = call.Over!;
        if (over.OrderBy.Count == 0)
        {
            throw new SqlValidationException("ROW_NUMBER() OVER needs an ORDER BY to number rows in a stream", call.Span);
        }

        var others = inner with { Projections = new(inner.Projections.Where((_, i) => i != numberColumn)) };
        RefuseOver(others);
        var (range, residual) = RowNumberBounds.Find(outer.Filter, numberColumn)
            ?? throw new SqlValidationException("ROW_NUMBER() OVER runs only as Top-N: the enclosing query must bound it (WHERE rn <= N, rn < N, rn = N or rn BETWEEN a AND b)", call.Span);
        if (range.End < range.Start || range.End < 1)
        {
            throw new SqlValidationException($"The row numbers kept by this Top-N ({range}) are empty", outer.Filter?.Span ?? outer.Span);
        }

        // The numbering SELECT is planned here, not through Plan, so its WHERE over a comma join must become the join's
        // condition here too (else the join would be a cross product in one key).
        var numbered = (BoundSelect)FilterIntoJoin(inner);
        var input = Filtered(numbered.Input is null ? SingleRow() : Plan(numbered.Input), numbered.Filter);
        var outputNumber = !range.IsConstant && ReadsColumn(outer, residual, numberColumn);
        var ranked = input.Window is { } window && IsWindowPartition(over.PartitionBy, window)
            ? WindowRank(input, over, range, outputNumber, window, call)
            : Rank(input, over, range, outputNumber);

        BoundExpression number = outputNumber
            ? new BoundColumnReference(input.Columns.Count, "w0$o0") { Type = call.Type }
            : new BoundLiteral(range.IsConstant ? range.Start.ToString(CultureInfo.InvariantCulture) : null) { Type = range.IsConstant ? call.Type : call.Type.WithNullable(true) };
        var projections = new NodeList<BoundExpression>(inner.Projections.Select((p, i) => i == numberColumn ? number : p));
        return (Calc(ranked, null, projections, inner.Columns), residual);
    }

    private static PlannedRelation Rank(PlannedRelation input, BoundOverWindow over, RankRange range, bool outputNumber)
    {
        var key = ExpressionCompiler.CompileProjection(over.PartitionBy);
        var serializer = RowSerializers.For(input.Columns.Select(c => c.Type).ToArray());
        var appendOnly = input.Changelog == ChangelogKind.AppendOnly;
        var partition = BoundExpressionText.Format(over.PartitionBy, input.Columns);
        if (appendOnly && range is { Start: 1, End: 1 } && over.OrderBy is [{ Expression: BoundColumnReference time } sortKey]
            && time.Type.TimeAttribute != TimeAttributeKind.None)
        {
            var rowtimeField = time.Type.TimeAttribute == TimeAttributeKind.Rowtime ? time.Ordinal : -1;
            var deduplicated = input.Stream
                .KeyBy(change => key(change.Row))
                .Process(new DeduplicateFunction(rowtimeField, sortKey.Descending, serializer))
                .WithName("Deduplicate");
            var changelog = DeduplicateFunction.IsAppendOnly(rowtimeField, sortKey.Descending) ? ChangelogKind.AppendOnly : ChangelogKind.Updating;
            var arguments = $"keep=[{(sortKey.Descending ? "LastRow" : "FirstRow")}], key=[{partition}], order=[{(rowtimeField >= 0 ? "ROWTIME" : "PROCTIME")}]";
            return new PlannedRelation(deduplicated, input.Columns, changelog,
                new PlanNode("Deduplicate", arguments, PlannedRelation.ModeText(changelog), [input.Plan]));
        }

        if (!appendOnly && over.OrderBy.Any(k => k.Expression.Type.TimeAttribute == TimeAttributeKind.Proctime))
        {
            // A processing time is read anew for each change, so a withdrawal would never match the row it withdraws.
            throw new SqlValidationException("Top-N or deduplication ordered by a processing-time attribute over an updating input does not run", over.OrderBy[0].Expression.Span);
        }

        var stream = input.Stream
            .KeyBy(change => key(change.Row))
            .Process(new RankFunction(new RowComparer(over.OrderBy), range, outputNumber, appendOnly, serializer))
            .WithName("Rank");
        var rankArguments = $"strategy=[{(appendOnly ? "AppendFastStrategy" : "RetractStrategy")}], rankType=[ROW_NUMBER], rankRange=[{range}], "
            + $"partitionBy=[{partition}], orderBy=[{OrderText(over.OrderBy, input.Columns)}], select=[{Select(input.Columns, outputNumber)}]";
        return new PlannedRelation(stream, Numbered(input.Columns, outputNumber), ChangelogKind.Updating,
            new PlanNode("Rank", rankArguments, "I,UB,UA,D", [input.Plan]));
    }

    private static PlannedRelation WindowRank(PlannedRelation input, BoundOverWindow over, RankRange range, bool outputNumber, (int Start, int End) window, BoundCall call)
    {
        if (input.Changelog != ChangelogKind.AppendOnly)
        {
            throw new SqlValidationException("A window Top-N over an updating input does not run yet", call.Span);
        }

        var key = ExpressionCompiler.CompileProjection(over.PartitionBy);
        var serializer = RowSerializers.For(input.Columns.Select(c => c.Type).ToArray());
        var endKey = IndexOfColumn(over.PartitionBy, window.End);
        var deduplicate = range is { Start: 1, End: 1 } && over.OrderBy is [{ Expression: BoundColumnReference time }]
            && time.Type.TimeAttribute != TimeAttributeKind.None;
        var laterWinsTies = deduplicate && over.OrderBy[0].Descending;
        var name = deduplicate ? "WindowDeduplicate" : "WindowRank";
        var stream = input.Stream
            .KeyBy(change => key(change.Row))
            .Process(new WindowRankFunction(new RowComparer(over.OrderBy), range, outputNumber, laterWinsTies, endKey, serializer))
            .WithName(name);
        var windowText = $"window_start=[{input.Columns[window.Start].Name}], window_end=[{input.Columns[window.End].Name}]";
        var partition = BoundExpressionText.Format(over.PartitionBy, input.Columns);
        var arguments = deduplicate
            ? $"{windowText}, keep=[{(laterWinsTies ? "LastRow" : "FirstRow")}], partitionKeys=[{partition}], orderKey=[{OrderText(over.OrderBy, input.Columns)}]"
            : $"{windowText}, rankType=[ROW_NUMBER], rankRange=[{range}], partitionBy=[{partition}], orderBy=[{OrderText(over.OrderBy, input.Columns)}], select=[{Select(input.Columns, outputNumber)}]";
        return new PlannedRelation(stream, Numbered(input.Columns, outputNumber), ChangelogKind.AppendOnly,
            new PlanNode(name, arguments, "I", [input.Plan]))
        {
            Window = window,
        };
    }

    // ORDER BY ... LIMIT n (Flink's SortLimit) and LIMIT n alone (Flink's Limit): a Top-N of the whole result in one
    // key, so it runs on one subtask. LIMIT alone keeps the first n rows to arrive; over an append-only input they are
    // never replaced, so its output is append-only too.
    private PlannedRelation PlanSortLimit(BoundSort sort)
    {
        var fetch = long.Parse(((BoundLiteral)sort.Limit!).Text!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (fetch < 1)
        {
            throw new SqlValidationException("LIMIT must be at least 1 on a streaming query", sort.Limit!.Span);
        }

        var input = Plan(sort.Input);
        var appendOnly = input.Changelog == ChangelogKind.AppendOnly;
        var whole = new Row();
        var stream = input.Stream
            .KeyBy(_ => whole)
            .Process(new RankFunction(new RowComparer(sort.Keys), new RankRange(1, fetch), outputRankNumber: false, appendOnly, RowSerializers.For(input.Columns.Select(c => c.Type).ToArray())))
            .WithName(sort.Keys.Count == 0 ? "Limit" : "SortLimit");
        var changelog = sort.Keys.Count == 0 && appendOnly ? ChangelogKind.AppendOnly : ChangelogKind.Updating;
        var node = sort.Keys.Count == 0
            ? new PlanNode("Limit", $"offset=[0], fetch=[{fetch}]", PlannedRelation.ModeText(changelog), [input.Plan])
            : new PlanNode("SortLimit", $"orderBy=[{OrderText(sort.Keys, input.Columns)}], offset=[0], fetch=[{fetch}]", PlannedRelation.ModeText(changelog), [input.Plan]);
        return new PlannedRelation(stream, sort.Columns, changelog, node);
    }

    /// <summary>Whether the enclosing block reads the row number other than through the bounds taken out of its WHERE.</summary>
    private static bool ReadsColumn(BoundSelect outer, BoundExpression? residual, int column)
    {
        var expressions = outer.Projections.Concat(outer.GroupBy);
        if (residual is not null)
        {
            expressions = expressions.Append(residual);
        }

        if (outer.Having is not null)
        {
            expressions = expressions.Append(outer.Having);
        }

        return expressions.SelectMany(BoundExpressionRewriter.ColumnsRead).Contains(column);
    }

    private static bool IsWindowPartition(NodeList<BoundExpression> partitionBy, (int Start, int End) window) =>
        IndexOfColumn(partitionBy, window.Start) >= 0 && IndexOfColumn(partitionBy, window.End) >= 0;

    private static NodeList<BoundColumn> Numbered(NodeList<BoundColumn> columns, bool outputNumber) =>
        outputNumber ? new(columns.Append(new BoundColumn("w0$o0", SqlType.BigInt.WithNullable(false)))) : columns;

    private static string OrderText(IEnumerable<BoundSortKey> keys, IReadOnlyList<BoundColumn> columns) =>
        string.Join(", ", keys.Select(k => BoundExpressionText.Format(k.Expression, columns) + (k.Descending ? " DESC" : " ASC")));

    private static string Select(IEnumerable<BoundColumn> columns, bool outputNumber) =>
        string.Join(", ", outputNumber ? columns.Select(c => c.Name).Append("w0$o0") : columns.Select(c => c.Name));
}
