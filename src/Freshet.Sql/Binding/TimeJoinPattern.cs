using Freshet.Sql.Ast;
using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Binding;

/// <summary>
/// A join whose ON condition bounds time, so that it can run with state that the watermark clears and an append-only
/// output (Flink's interval and window joins). Found by <see cref="Detect"/> the same way by the binder (for the
/// join's changelog kind) and by the planner (for the operator), so the two never disagree.
/// </summary>
internal abstract record TimeJoinPattern
{
    /// <summary>
    /// The pattern of a non-temporal join of <paramref name="left"/> and <paramref name="right"/> on
    /// <paramref name="condition"/> (ordinals over the left row followed by the right row), or null for a regular
    /// join. Both inputs must be append-only. A window join needs <c>l.window_start = r.window_start</c> and
    /// <c>l.window_end = r.window_end</c> of window table functions on both sides; an interval join needs a lower
    /// and an upper bound between a rowtime attribute of each side (Flink's rules; proctime interval joins run as
    /// regular joins).
    /// </summary>
    public static TimeJoinPattern? Detect(BoundRelation left, BoundRelation right, BoundExpression? condition)
    {
        if (left.Changelog != ChangelogKind.AppendOnly || right.Changelog != ChangelogKind.AppendOnly || condition is null)
        {
            return null;
        }

        var leftWidth = left.Columns.Count;
        var conjuncts = Conjuncts(condition).ToArray();
        if (WindowOf(left) is { } lw && WindowOf(right) is { } rw
            && conjuncts.Any(c => IsEquality(c, lw.Start, rw.Start + leftWidth))
            && conjuncts.Any(c => IsEquality(c, lw.End, rw.End + leftWidth)))
        {
            return new WindowJoinPattern(lw.Start, lw.End, rw.Start, rw.End);
        }

        // Bounds on (right time − left time) per pair of rowtime columns, in milliseconds, both inclusive.
        var bounds = new Dictionary<(int Left, int Right), (long? Lower, long? Upper)>();
        foreach (var conjunct in conjuncts)
        {
            if (conjunct is not BoundCall { Function: "=" or "<" or "<=" or ">" or ">=" } comparison
                || comparison.Arguments is not [var a, var b]
                || TimeTerm(a, left, right) is not { } x || TimeTerm(b, left, right) is not { } y
                || x.IsLeft == y.IsLeft)
            {
                continue;
            }

            // x.time + x.offset OP y.time + y.offset, rewritten as (right time − left time) OP' k.
            var op = comparison.Function;
            long k;
            if (x.IsLeft)
            {
                // l + a OP r + b  ⇔  r − l FLIP(OP) a − b
                k = x.OffsetMs - y.OffsetMs;
                op = Flip(op);
            }
            else
            {
                // r + a OP l + b  ⇔  r − l OP b − a
                k = y.OffsetMs - x.OffsetMs;
            }

            var pair = x.IsLeft ? (x.Ordinal, y.Ordinal) : (y.Ordinal, x.Ordinal);
            var (lower, upper) = bounds.GetValueOrDefault(pair);
            if (op is ">" or ">=" or "=")
            {
                var bound = op == ">" ? k + 1 : k;
                lower = lower is { } l ? Math.Max(l, bound) : bound;
            }

            if (op is "<" or "<=" or "=")
            {
                var bound = op == "<" ? k - 1 : k;
                upper = upper is { } u ? Math.Min(u, bound) : bound;
            }

            bounds[pair] = (lower, upper);
        }

        foreach (var ((leftTime, rightTime), (lower, upper)) in bounds)
        {
            if (lower is { } l && upper is { } u)
            {
                return new IntervalJoinPattern(leftTime, rightTime, l, u);
            }
        }

        return null;
    }

    /// <summary>Ordinals of window_start and window_end of a window table function (TUMBLE, HOP, CUMULATE) that
    /// <paramref name="relation"/> passes on unchanged: directly, through projections and filters, or as GROUP BY keys
    /// of a window aggregation. Null when it does not.</summary>
    public static (int Start, int End)? WindowOf(BoundRelation relation)
    {
        switch (relation)
        {
            case BoundWindowTableFunction { Function: not "SESSION" } window:
                return (window.Input.Columns.Count, window.Input.Columns.Count + 1);
            case BoundSelect { Distinct: false, Input: { } input } select when !select.IsAggregate || select.IsWindowAggregate:
                {
                    if (WindowOf(input) is not { } w
                        || (select.IsWindowAggregate && !(select.GroupBy.Any(k => IsColumn(k, w.Start)) && select.GroupBy.Any(k => IsColumn(k, w.End)))))
                    {
                        return null;
                    }

                    var start = IndexOf(select.Projections, w.Start);
                    var end = IndexOf(select.Projections, w.End);
                    return start >= 0 && end >= 0 ? (start, end) : null;
                }

            default:
                return null;
        }
    }

    /// <summary>The AND-ed parts of a condition.</summary>
    public static IEnumerable<BoundExpression> Conjuncts(BoundExpression? condition) => condition switch
    {
        null => [],
        BoundCall { Function: "AND", Arguments: [var a, var b] } => Conjuncts(a).Concat(Conjuncts(b)),
        _ => [condition],
    };

    private static int IndexOf(NodeList<BoundExpression> projections, int ordinal)
    {
        for (var i = 0; i < projections.Count; i++)
        {
            if (IsColumn(projections[i], ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsColumn(BoundExpression expression, int ordinal) => expression is BoundColumnReference c && c.Ordinal == ordinal;

    private static bool IsEquality(BoundExpression conjunct, int a, int b) =>
        conjunct is BoundCall { Function: "=", Arguments: [var x, var y] }
        && ((IsColumn(x, a) && IsColumn(y, b)) || (IsColumn(x, b) && IsColumn(y, a)));

    private static string Flip(string op) => op switch
    {
        "<" => ">",
        "<=" => ">=",
        ">" => "<",
        ">=" => "<=",
        _ => op,
    };

    /// <summary>A rowtime column of one side plus or minus a constant day-time interval.</summary>
    private static (bool IsLeft, int Ordinal, long OffsetMs)? TimeTerm(BoundExpression expression, BoundRelation left, BoundRelation right)
    {
        switch (expression)
        {
            case BoundColumnReference column:
                {
                    var leftWidth = left.Columns.Count;
                    var isLeft = column.Ordinal < leftWidth;
                    var type = isLeft ? left.Columns[column.Ordinal].Type : right.Columns[column.Ordinal - leftWidth].Type;
                    return type.TimeAttribute == TimeAttributeKind.Rowtime ? (isLeft, isLeft ? column.Ordinal : column.Ordinal - leftWidth, 0) : null;
                }

            case BoundCall { Function: "+" or "-", Arguments: [var a, var b] } call:
                {
                    if (TimeTerm(a, left, right) is { } term && IntervalMs(b) is { } ms)
                    {
                        return (term.IsLeft, term.Ordinal, call.Function == "+" ? term.OffsetMs + ms : term.OffsetMs - ms);
                    }

                    if (call.Function == "+" && IntervalMs(a) is { } first && TimeTerm(b, left, right) is { } second)
                    {
                        return (second.IsLeft, second.Ordinal, second.OffsetMs + first);
                    }

                    return null;
                }

            default:
                return null;
        }
    }

    private static long? IntervalMs(BoundExpression expression) =>
        expression is BoundLiteral { Type.Kind: SqlTypeKind.IntervalDayTime } && ExpressionCompiler.Compile(expression)(new Row()) is TimeSpan span
            ? (long)span.TotalMilliseconds
            : null;
}

/// <summary>An interval join: a pair is joined when <c>lower ≤ right time − left time ≤ upper</c> (milliseconds).</summary>
/// <param name="LeftTime">Ordinal of the rowtime in the left row.</param>
/// <param name="RightTime">Ordinal of the rowtime in the right row.</param>
/// <param name="LowerMs">Least right time − left time, inclusive.</param>
/// <param name="UpperMs">Greatest right time − left time, inclusive.</param>
internal sealed record IntervalJoinPattern(int LeftTime, int RightTime, long LowerMs, long UpperMs) : TimeJoinPattern;

/// <summary>A window join: ordinals of window_start and window_end in the left row and in the right row.</summary>
internal sealed record WindowJoinPattern(int LeftStart, int LeftEnd, int RightStart, int RightEnd) : TimeJoinPattern;
