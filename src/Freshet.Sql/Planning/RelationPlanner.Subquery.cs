using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    private static readonly Row EmptyRow = new();

    // Subqueries in expressions become joins with the subquery's relation, as Flink's planner rewrites them: a
    // scalar subquery in WHERE or the SELECT list a left join with its relation checked to hold at most one row; an
    // IN or EXISTS conjunct of WHERE a semi join, NOT IN and NOT EXISTS an anti join, each keyed by the equalities
    // of its condition. A correlated IN or EXISTS over a plain SELECT block is decorrelated: the conjuncts of its WHERE
    // that read the outer row move into the join condition, so their equalities become the join key.
    private static BoundRelation SubqueriesToJoins(BoundRelation relation)
    {
        if (relation is not BoundSelect select || !HasSubquery(select))
        {
            return relation;
        }

        if (select.GroupBy.FirstOrDefault(ContainsSubquery) is { } groupBy)
        {
            throw new SqlValidationException("A subquery in GROUP BY does not run yet", groupBy.Span);
        }

        if (select.Having is { } having && ContainsSubquery(having))
        {
            throw new SqlValidationException("A subquery in HAVING does not run yet; filter the aggregated rows in an outer query", having.Span);
        }

        if ((select.IsAggregate || select.Distinct) && select.Projections.FirstOrDefault(ContainsSubquery) is { } item)
        {
            throw new SqlValidationException("A subquery in the SELECT list of an aggregating or DISTINCT query does not run yet; compute it in a subquery of FROM", item.Span);
        }

        var input = select.Input ?? OneEmptyRow(select);
        var inputWidth = input.Columns.Count;
        var scalars = new List<BoundSubquery>();
        BoundExpression? ScalarToColumn(BoundExpression node)
        {
            if (node is not BoundSubquery { Kind: BoundSubqueryKind.Scalar } scalar)
            {
                return null;
            }

            var index = scalars.IndexOf(scalar);
            if (index < 0)
            {
                index = scalars.Count;
                scalars.Add(scalar);
            }

            return new BoundColumnReference(inputWidth + index, $"$scalar{index}") { Type = scalar.Type, Span = scalar.Span };
        }

        var filter = select.Filter is null ? null : BoundExpressionRewriter.Rewrite(select.Filter, ScalarToColumn);
        var projections = BoundExpressionRewriter.Rewrite(select.Projections, ScalarToColumn);
        for (var i = 0; i < scalars.Count; i++)
        {
            input = ScalarJoin(input, scalars[i], i);
        }

        var plain = new List<BoundExpression>();
        var filtering = new List<(BoundSubquery Subquery, bool Anti)>();
        foreach (var conjunct in Conjuncts(filter))
        {
            switch (conjunct)
            {
                case BoundSubquery { Kind: not BoundSubqueryKind.Scalar } subquery:
                    filtering.Add((subquery, subquery.Negated));
                    break;

                // NOT (x IN q) is x NOT IN q, and NOT (x NOT IN q) is x IN q, in three-valued logic too.
                case BoundCall { Function: "NOT", Arguments: [BoundSubquery { Kind: not BoundSubqueryKind.Scalar } subquery] }:
                    filtering.Add((subquery, !subquery.Negated));
                    break;
                default:
                    RefuseNestedSubquery(conjunct);
                    plain.Add(conjunct);
                    break;
            }
        }

        foreach (var projection in projections)
        {
            RefuseNestedSubquery(projection);
        }

        if (plain.Count > 0)
        {
            input = Filter(input, And(plain), select.Span);
        }

        foreach (var (subquery, anti) in filtering)
        {
            input = FilteringJoin(input, subquery, anti);
        }

        return select with { Input = input, Filter = null, Projections = projections };
    }

    private PlannedRelation PlanSubqueryJoin(SubqueryJoin join)
    {
        var left = Plan(join.Input);
        var right = Plan(join.Subquery);
        if (join.Type == ChangelogJoinType.Left)
        {
            right = SingleValue(right, join.Span);
        }

        var leftWidth = left.Columns.Count;
        var (leftKeys, rightKeys, residual) = SplitCondition(join.Condition, leftWidth);
        var leftKey = ExpressionCompiler.CompileProjection(leftKeys);
        var rightKey = ExpressionCompiler.CompileProjection(rightKeys);
        Func<Row?, Row?, Row> combine = join.Type == ChangelogJoinType.Left
            ? static (l, r) => Concat(l!, r ?? Nulls(1))
            : static (l, _) => l!;
        var stream = left.Stream.KeyBy(change => leftKey(change.Row))
            .JoinChanges(right.Stream.KeyBy(change => rightKey(change.Row)), join.Type, combine, PairCondition(residual))
            .WithName($"{join.Type}Join");

        var combined = left.Columns.Concat(right.Columns).ToArray();
        var arguments = $"joinType=[{join.Type}], leftKeys=[{BoundExpressionText.Format(leftKeys, left.Columns)}], rightKeys=[{BoundExpressionText.Format(rightKeys, right.Columns)}]"
            + (residual.Count == 0 ? string.Empty : $", where=[{BoundExpressionText.Format(residual, combined)}]");
        return new PlannedRelation(stream, join.Columns, join.Changelog,
            new PlanNode("Join", arguments, PlannedRelation.ModeText(join.Changelog), [left.Plan, right.Plan]))
        {
            // A semi or anti join passes left rows on unchanged, so a window stays where it was.
            Window = join.Type == ChangelogJoinType.Left ? null : left.Window,
        };
    }

    /// <summary>The scalar subquery's relation, all in one key, failing the job when it holds a second row.</summary>
    private static PlannedRelation SingleValue(PlannedRelation subquery, Syntax.SqlSpan span)
    {
        var stream = subquery.Stream
            .KeyBy(static _ => EmptyRow)
            .Process(new SingleValueFunction(span))
            .WithName("SingleValue");
        return subquery with
        {
            Stream = stream,
            Plan = new PlanNode("SingleValue", $"select=[{subquery.Columns[0].Name}]", PlannedRelation.ModeText(subquery.Changelog), [subquery.Plan]),
        };
    }

    /// <summary>The input extended with the value of scalar subquery number <paramref name="index"/> as its last column.</summary>
    private static SubqueryJoin ScalarJoin(BoundRelation input, BoundSubquery scalar, int index)
    {
        if (IsCorrelated(scalar.Query))
        {
            throw new SqlValidationException("A correlated scalar subquery does not run yet; write it as a join with an aggregating subquery", scalar.Span);
        }

        var column = new BoundColumn($"$scalar{index}", scalar.Type);
        return new SubqueryJoin(input, scalar.Query, ChangelogJoinType.Left, null)
        {
            Columns = new(input.Columns.Append(column)),
            Changelog = ChangelogKind.Updating,
            Span = scalar.Span,
        };
    }

    /// <summary>The semi join (IN, EXISTS) or anti join (NOT IN, NOT EXISTS) of the input with a subquery.</summary>
    private static SubqueryJoin FilteringJoin(BoundRelation input, BoundSubquery subquery, bool anti)
    {
        var leftWidth = input.Columns.Count;
        var conditions = new List<BoundExpression>();
        BoundRelation right;
        BoundExpression? value = null;
        if (IsCorrelated(subquery.Query))
        {
            if (subquery.Query is not BoundSelect { Input: { } from, IsAggregate: false, Distinct: false } inner)
            {
                throw new SqlValidationException(
                    "A correlated subquery with aggregation, GROUP BY or DISTINCT does not run yet; only a plain SELECT ... FROM ... WHERE is decorrelated",
                    subquery.Query.Span);
            }

            var local = new List<BoundExpression>();
            foreach (var conjunct in Conjuncts(inner.Filter))
            {
                if (!ReadsOuter(conjunct))
                {
                    local.Add(conjunct);
                    continue;
                }

                RefuseNestedSubquery(conjunct);
                conditions.Add(Decorrelate(conjunct, leftWidth));
            }

            right = local.Count == 0 ? from : Filter(from, And(local), inner.Span);
            if (subquery.Kind == BoundSubqueryKind.In)
            {
                RefuseNestedSubquery(inner.Projections[0]);
                value = Decorrelate(inner.Projections[0], leftWidth);
            }
        }
        else
        {
            right = subquery.Query;
            value = new BoundColumnReference(leftWidth, right.Columns[0].Name) { Type = right.Columns[0].Type, Span = subquery.Span };
        }

        if (subquery.Kind == BoundSubqueryKind.In)
        {
            var operand = subquery.Operand!;
            var nullable = operand.Type.Nullable || value!.Type.Nullable;
            var equal = new BoundCall("=", BoundFunctionKind.Scalar, new([operand, value!])) { Type = SqlType.Boolean.WithNullable(nullable), Span = subquery.Span };

            // x NOT IN q is TRUE only when x = v is FALSE for every v of q: a NULL on either side makes it UNKNOWN,
            // so for the anti join a subquery row matches (and removes x) unless x = v is FALSE.
            conditions.Add(anti && nullable
                ? new BoundCall("IS NOT FALSE", BoundFunctionKind.Scalar, new([equal])) { Type = SqlType.Boolean.WithNullable(false), Span = subquery.Span }
                : equal);
        }

        var appendOnly = !anti && input.Changelog == ChangelogKind.AppendOnly && right.Changelog == ChangelogKind.AppendOnly;
        return new SubqueryJoin(input, right, anti ? ChangelogJoinType.Anti : ChangelogJoinType.Semi, conditions.Count == 0 ? null : And(conditions))
        {
            Columns = input.Columns,
            Changelog = appendOnly ? ChangelogKind.AppendOnly : ChangelogKind.Updating,
            Span = subquery.Span,
        };
    }

    /// <summary>An expression of a correlated subquery as one over (outer ++ subquery FROM) rows.</summary>
    private static BoundExpression Decorrelate(BoundExpression expression, int outerWidth) =>
        BoundExpressionRewriter.Rewrite(expression, node => node switch
        {
            BoundColumnReference column => column with { Ordinal = column.Ordinal + outerWidth },
            BoundOuterReference outer => new BoundColumnReference(outer.Ordinal, outer.Name) { Type = outer.Type, Span = outer.Span },
            _ => null,
        });

    /// <summary>Whether a subquery's own clauses read the enclosing query's row (only a SELECT block's can).</summary>
    private static bool IsCorrelated(BoundRelation query) =>
        query is BoundSelect select
        && select.Projections.Concat(select.GroupBy).Append(select.Filter).Append(select.Having).Any(e => e is not null && ReadsOuter(e));

    private static bool ReadsOuter(BoundExpression expression) => BoundExpressionRewriter.Nodes(expression).Any(n => n is BoundOuterReference);

    private static bool ContainsSubquery(BoundExpression expression) => BoundExpressionRewriter.Nodes(expression).Any(n => n is BoundSubquery);

    private static bool HasSubquery(BoundSelect select) =>
        select.Projections.Concat(select.GroupBy).Append(select.Filter).Append(select.Having).Any(e => e is not null && ContainsSubquery(e));

    private static void RefuseNestedSubquery(BoundExpression expression)
    {
        if (BoundExpressionRewriter.Nodes(expression).OfType<BoundSubquery>().FirstOrDefault() is { } subquery)
        {
            throw new SqlValidationException(
                $"{Describe(subquery)} runs only as a conjunct of WHERE (joined by AND), not inside another expression",
                subquery.Span);
        }
    }

    private static string Describe(BoundSubquery subquery) => subquery.Kind switch
    {
        BoundSubqueryKind.In => subquery.Negated ? "NOT IN (subquery)" : "IN (subquery)",
        BoundSubqueryKind.Exists => "EXISTS (subquery)",
        _ => "A scalar subquery",
    };

    /// <summary>A SELECT without aggregation that keeps the rows of <paramref name="input"/> satisfying <paramref name="condition"/>.</summary>
    private static BoundSelect Filter(BoundRelation input, BoundExpression condition, Syntax.SqlSpan span)
    {
        var identity = input.Columns.Select((c, i) => (BoundExpression)new BoundColumnReference(i, c.Name) { Type = c.Type });
        return new BoundSelect(input, condition, new([]), null, new(identity)) { Columns = input.Columns, Changelog = input.Changelog, Span = span };
    }

    /// <summary>The one row of no columns a SELECT without FROM reads.</summary>
    private static BoundValues OneEmptyRow(BoundSelect select) =>
        new(new([new NodeList<BoundExpression>([])])) { Columns = new([]), Changelog = ChangelogKind.AppendOnly, Span = select.Span };
}
