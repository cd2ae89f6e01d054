using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    // A regular join (Flink's streaming join): both inputs are kept in keyed state by the equality keys found in the
    // ON condition, and every change on one side is joined with the other side's rows (JoinChanges). The rest of the
    // condition is checked on each joined pair. Without an equality key the join runs in one key, so on one subtask.
    // When the condition bounds time (TimeJoinPattern), the join runs as an interval or window join instead: same
    // keys and condition, but state the watermark clears and an append-only output.
    private PlannedRelation PlanJoin(BoundJoin join)
    {
        if (join.SystemTimeAsOf is not null)
        {
            return PlanTemporalJoin(join);
        }

        var left = Plan(join.Left);
        var right = Plan(join.Right);
        var leftWidth = left.Columns.Count;
        var rightWidth = right.Columns.Count;
        var (leftKeys, rightKeys, residual) = SplitCondition(join.Condition, leftWidth);
        var leftKey = ExpressionCompiler.CompileProjection(leftKeys);
        var rightKey = ExpressionCompiler.CompileProjection(rightKeys);
        var condition = PairCondition(residual);

        var type = join.Kind switch
        {
            JoinKind.Left => ChangelogJoinType.Left,
            JoinKind.Right => ChangelogJoinType.Right,
            JoinKind.Full => ChangelogJoinType.Full,
            _ => ChangelogJoinType.Inner,
        };
        var combined = left.Columns.Concat(right.Columns).ToArray();
        var keyArguments = $"leftKeys=[{BoundExpressionText.Format(leftKeys, left.Columns)}], rightKeys=[{BoundExpressionText.Format(rightKeys, right.Columns)}]"
            + (residual.Count == 0 ? string.Empty : $", where=[{BoundExpressionText.Format(residual, combined)}]");
        var arguments = $"joinType=[{type}], {keyArguments}";
        var pattern = TimeJoinPattern.Detect(join.Left, join.Right, join.Condition);
        if (pattern is not null && (left.Changelog != ChangelogKind.AppendOnly || right.Changelog != ChangelogKind.AppendOnly))
        {
            pattern = null;
        }

        if (pattern is not null)
        {
            var padLeft = type is ChangelogJoinType.Left or ChangelogJoinType.Full;
            var padRight = type is ChangelogJoinType.Right or ChangelogJoinType.Full;
            Row Combine(Row? l, Row? r) => Concat(l ?? Nulls(leftWidth), r ?? Nulls(rightWidth));
            var keyed = left.Stream.Connect(right.Stream).KeyBy(change => leftKey(change.Row), change => rightKey(change.Row));
            var (name, stream, bounds) = pattern switch
            {
                IntervalJoinPattern interval => ("IntervalJoin",
                    keyed.Process(new IntervalJoinFunction(interval, padLeft, padRight, condition, Combine)),
                    $"windowBounds=[isRowTime=true, leftLowerBound={-interval.UpperMs}, leftUpperBound={-interval.LowerMs}, leftTimeIndex={interval.LeftTime}, rightTimeIndex={interval.RightTime}], "),
                WindowJoinPattern window => ("WindowJoin",
                    keyed.Process(new WindowJoinFunction(window, padLeft, padRight, condition, Combine)),
                    $"leftWindow=[{left.Columns[window.LeftStart].Name}, {left.Columns[window.LeftEnd].Name}], rightWindow=[{right.Columns[window.RightStart].Name}, {right.Columns[window.RightEnd].Name}], "),
                _ => throw new InvalidOperationException($"Unknown time join pattern {pattern}"),
            };
            return new PlannedRelation(stream.WithName(name), join.Columns, ChangelogKind.AppendOnly,
                new PlanNode(name, $"joinType=[{type}], {bounds}{keyArguments}", "I", [left.Plan, right.Plan]));
        }

        var joined = left.Stream.KeyBy(change => leftKey(change.Row))
            .JoinChanges(
                right.Stream.KeyBy(change => rightKey(change.Row)),
                type,
                (l, r) => Concat(l ?? Nulls(leftWidth), r ?? Nulls(rightWidth)),
                condition)
            .WithName($"{type}Join");
        return new PlannedRelation(joined, join.Columns, join.Changelog,
            new PlanNode("Join", arguments, PlannedRelation.ModeText(join.Changelog), [left.Plan, right.Plan]));
    }

    /// <summary>
    /// Splits a join condition over (left ++ right) rows into equi-join keys (the equalities between an expression of
    /// the left row and one of the right row, the right one shifted to read the right row alone) and the residual
    /// conjuncts checked on each pair.
    /// </summary>
    private static (List<BoundExpression> LeftKeys, List<BoundExpression> RightKeys, List<BoundExpression> Residual) SplitCondition(BoundExpression? joinCondition, int leftWidth)
    {
        var leftKeys = new List<BoundExpression>();
        var rightKeys = new List<BoundExpression>();
        var residual = new List<BoundExpression>();
        foreach (var conjunct in Conjuncts(joinCondition))
        {
            if (conjunct is BoundCall { Function: "=", Arguments: [var a, var b] } && Side(a, leftWidth) is { } sideA && Side(b, leftWidth) is { } sideB && sideA != sideB)
            {
                var (l, r) = sideA == 0 ? (a, b) : (b, a);

                // Keys are compared as values, so numbers of different types (INT and BIGINT, decimals of different
                // scales) are first cast to their common type, as '=' compares them.
                if (SqlTypeRules.IsNumeric(l.Type) && SqlTypeRules.IsNumeric(r.Type) && Normal(l.Type) != Normal(r.Type)
                    && SqlTypeRules.CommonType(l.Type, r.Type) is { } common)
                {
                    l = new BoundCast(l, Try: false) { Type = common, Span = l.Span };
                    r = new BoundCast(r, Try: false) { Type = common, Span = r.Span };
                }

                leftKeys.Add(l);
                rightKeys.Add(Shift(r, -leftWidth));

                // SQL's '=' is never TRUE for NULL, but key rows with NULLs are equal; checking the equality again
                // on each pair keeps NULL keys from matching.
                if (l.Type.Nullable || r.Type.Nullable)
                {
                    residual.Add(conjunct);
                }
            }
            else
            {
                residual.Add(conjunct);
            }
        }

        return (leftKeys, rightKeys, residual);
    }

    /// <summary>The residual conjuncts as a predicate over a (left, right) pair; null when there are none.</summary>
    private static Func<Row, Row, bool>? PairCondition(List<BoundExpression> residual)
    {
        if (residual.Count == 0)
        {
            return null;
        }

        var predicate = ExpressionCompiler.CompilePredicate(And(residual));
        return (l, r) => predicate(Concat(l, r));
    }

    private static BoundExpression And(IEnumerable<BoundExpression> conjuncts) =>
        conjuncts.Aggregate((x, y) => new BoundCall("AND", BoundFunctionKind.Scalar, new([x, y])) { Type = SqlType.Boolean });

    private static IEnumerable<BoundExpression> Conjuncts(BoundExpression? condition) => TimeJoinPattern.Conjuncts(condition);

    /// <summary>0 when <paramref name="expression"/> reads only left columns, 1 when only right ones, null when both,
    /// neither, or it is not deterministic enough to be a key (a subquery).</summary>
    private static int? Side(BoundExpression expression, int leftWidth)
    {
        var columns = BoundExpressionRewriter.ColumnsRead(expression).ToArray();
        if (columns.Length == 0 || BoundExpressionRewriter.Nodes(expression).Any(n => n is BoundSubquery))
        {
            return null;
        }

        return columns.All(c => c < leftWidth) ? 0 : columns.All(c => c >= leftWidth) ? 1 : null;
    }

    private static BoundExpression Shift(BoundExpression expression, int by) =>
        BoundExpressionRewriter.Rewrite(expression, node => node is BoundColumnReference c ? c with { Ordinal = c.Ordinal + by } : null);
}
