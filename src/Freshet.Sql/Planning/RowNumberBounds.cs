using System.Globalization;
using Freshet.Sql.Binding;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Planning;

/// <summary>
/// Reads Flink's Top-N condition: the bounds a WHERE puts on a ROW_NUMBER() column of its input, and what is left of
/// the WHERE. Shared by the binder (which derives whether the result is append-only) and the planner. Stateless.
/// </summary>
internal static class RowNumberBounds
{
    /// <summary>
    /// The row-number range bounded by the conjuncts of <paramref name="filter"/> that compare column
    /// <paramref name="numberColumn"/> with an integer literal, and the rest of the filter; null without an upper bound.
    /// </summary>
    public static (RankRange Range, BoundExpression? Residual)? Find(BoundExpression? filter, int numberColumn)
    {
        if (filter is null)
        {
            return null;
        }

        long start = 1;
        long? end = null;
        var residual = new List<BoundExpression>();
        foreach (var conjunct in Conjuncts(filter))
        {
            if (NumberBound(conjunct, numberColumn) is not { } bound)
            {
                residual.Add(conjunct);
                continue;
            }

            var (op, value) = bound;
            if (op is "<=" or "<" or "=")
            {
                var upper = op == "<" ? value - 1 : value;
                end = end is null ? upper : Math.Min(end.Value, upper);
            }

            if (op is ">=" or ">" or "=")
            {
                start = Math.Max(start, op == ">" ? value + 1 : value);
            }
        }

        if (end is null)
        {
            return null;
        }

        BoundExpression? rest = null;
        foreach (var conjunct in residual)
        {
            rest = rest is null ? conjunct : new BoundCall("AND", BoundFunctionKind.Scalar, new([rest, conjunct])) { Type = SqlType.Boolean };
        }

        return (new RankRange(start, end.Value), rest);
    }

    /// <summary>A comparison of the row number with an integer literal, turned to read <c>rn op value</c>.</summary>
    private static (string Op, long Value)? NumberBound(BoundExpression conjunct, int numberColumn)
    {
        if (conjunct is not BoundCall { Function: "<" or "<=" or "=" or ">" or ">=", Arguments: [var left, var right] } comparison)
        {
            return null;
        }

        var op = comparison.Function;
        if (right is BoundColumnReference reference && reference.Ordinal == numberColumn)
        {
            (left, right) = (right, left);
            op = op switch { "<" => ">", "<=" => ">=", ">" => "<", ">=" => "<=", _ => op };
        }

        return left is BoundColumnReference column && column.Ordinal == numberColumn
            && right is BoundLiteral { Text: { } text } && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? (op, value)
            : null;
    }

    private static IEnumerable<BoundExpression> Conjuncts(BoundExpression expression) =>
        expression is BoundCall { Function: "AND", Arguments: [var left, var right] }
            ? Conjuncts(left).Concat(Conjuncts(right))
            : [expression];
}
