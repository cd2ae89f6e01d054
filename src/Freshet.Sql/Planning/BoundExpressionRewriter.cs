using Freshet.Sql.Ast;
using Freshet.Sql.Binding;

namespace Freshet.Sql.Planning;

/// <summary>
/// Rewrites bound expressions bottom-up: <c>replace</c> is offered every node, outermost first, and a node it
/// replaces is not visited further. Used to turn aggregate calls and GROUP BY keys into references to the columns
/// of an aggregation's output. Pure.
/// </summary>
internal static class BoundExpressionRewriter
{
    public static BoundExpression Rewrite(BoundExpression expression, Func<BoundExpression, BoundExpression?> replace)
    {
        if (replace(expression) is { } replaced)
        {
            return replaced;
        }

        return expression switch
        {
            BoundCall call => call with
            {
                Arguments = Rewrite(call.Arguments, replace),
                Filter = call.Filter is null ? null : Rewrite(call.Filter, replace),
            },
            BoundCast cast => cast with { Operand = Rewrite(cast.Operand, replace) },
            BoundFieldAccess access => access with { Target = Rewrite(access.Target, replace) },
            BoundSubquery subquery when subquery.Operand is not null => subquery with { Operand = Rewrite(subquery.Operand, replace) },
            _ => expression,
        };
    }

    public static NodeList<BoundExpression> Rewrite(NodeList<BoundExpression> expressions, Func<BoundExpression, BoundExpression?> replace) =>
        new(expressions.Select(e => Rewrite(e, replace)));

    /// <summary>Every node of <paramref name="expression"/>, outermost first.</summary>
    public static IEnumerable<BoundExpression> Nodes(BoundExpression expression)
    {
        yield return expression;
        IEnumerable<BoundExpression> children = expression switch
        {
            BoundCall call => call.Filter is null ? call.Arguments : call.Arguments.Append(call.Filter),
            BoundCast cast => [cast.Operand],
            BoundFieldAccess access => [access.Target],
            BoundSubquery { Operand: { } operand } => [operand],
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var node in Nodes(child))
            {
                yield return node;
            }
        }
    }

    /// <summary>The column ordinals <paramref name="expression"/> reads.</summary>
    public static IEnumerable<int> ColumnsRead(BoundExpression expression) =>
        Nodes(expression).OfType<BoundColumnReference>().Select(c => c.Ordinal);
}
