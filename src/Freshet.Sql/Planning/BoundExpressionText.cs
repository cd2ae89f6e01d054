using System.Text;
using Freshet.Sql.Binding;

namespace Freshet.Sql.Planning;

/// <summary>Formats bound expressions for EXPLAIN, with input columns by name (<c>price * 0.908</c>). Pure.</summary>
internal static class BoundExpressionText
{
    private static readonly HashSet<string> Infix = new(StringComparer.Ordinal)
    {
        "+", "-", "*", "/", "%", "=", "<>", "<", "<=", ">", ">=", "AND", "OR", "||", "LIKE", "NOT LIKE",
    };

    public static string Format(BoundExpression expression, IReadOnlyList<BoundColumn> input)
    {
        var text = new StringBuilder();
        Append(text, expression, input);
        return text.ToString();
    }

    public static string Format(IEnumerable<BoundExpression> expressions, IReadOnlyList<BoundColumn> input) =>
        string.Join(", ", expressions.Select(e => Format(e, input)));

    private static void Append(StringBuilder text, BoundExpression expression, IReadOnlyList<BoundColumn> input)
    {
        switch (expression)
        {
            case BoundColumnReference column:
                text.Append(column.Ordinal < input.Count ? input[column.Ordinal].Name : column.Name);
                break;
            case BoundLiteral literal:
                text.Append(literal.Text ?? "NULL");
                break;
            case BoundCast cast:
                text.Append(cast.Try ? "TRY_CAST(" : "CAST(");
                Append(text, cast.Operand, input);
                text.Append(" AS ").Append(cast.Type.WithNullable(true)).Append(')');
                break;
            case BoundFieldAccess access:
                Append(text, access.Target, input);
                text.Append('.').Append(access.Field);
                break;
            case BoundCall call when Infix.Contains(call.Function) && call.Arguments.Count == 2:
                text.Append('(');
                Append(text, call.Arguments[0], input);
                text.Append(' ').Append(call.Function).Append(' ');
                Append(text, call.Arguments[1], input);
                text.Append(')');
                break;
            case BoundCall call:
                text.Append(call.Function).Append('(');
                if (call.Distinct)
                {
                    text.Append("DISTINCT ");
                }

                if (call.Arguments.Count == 0 && call.Kind == BoundFunctionKind.Aggregate)
                {
                    text.Append('*');
                }

                for (var i = 0; i < call.Arguments.Count; i++)
                {
                    text.Append(i > 0 ? ", " : string.Empty);
                    Append(text, call.Arguments[i], input);
                }

                text.Append(')');
                if (call.Filter is not null)
                {
                    text.Append(" FILTER (WHERE ");
                    Append(text, call.Filter, input);
                    text.Append(')');
                }

                break;
            default:
                text.Append(expression.GetType().Name.Replace("Bound", string.Empty, StringComparison.Ordinal));
                break;
        }
    }
}
