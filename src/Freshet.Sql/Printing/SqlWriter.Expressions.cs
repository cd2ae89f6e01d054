using Freshet.Sql.Ast;
using Freshet.Sql.Parsing;

namespace Freshet.Sql.Printing;

/// <summary>Expressions, parenthesised by <see cref="Precedence"/> exactly where the parser needs it.</summary>
internal sealed partial class SqlWriter
{
    /// <summary>Writes <paramref name="expression"/>, in parentheses when it binds looser than <paramref name="minPrecedence"/>.</summary>
    private void Operand(SqlExpression expression, int minPrecedence)
    {
        if (Precedence.Of(expression) < minPrecedence)
        {
            Append("(");
            Expression(expression);
            Append(")");
        }
        else
        {
            Expression(expression);
        }
    }

    private void Expression(SqlExpression expression)
    {
        switch (expression)
        {
            case NumericLiteral number:
                Append(number.Text);
                break;
            case StringLiteral text:
                String(text.Value);
                break;
            case BooleanLiteral boolean:
                Append(boolean.Value ? "TRUE" : "FALSE");
                break;
            case NullLiteral:
                Append("NULL");
                break;
            case TypedLiteral typed:
                Append(typed.Kind.ToString().ToUpperInvariant()).Append(" ");
                String(typed.Value);
                break;
            case IntervalLiteral interval:
                Append("INTERVAL ");
                String(interval.Value);
                Append(" ").Append(interval.Start.ToString().ToUpperInvariant());
                if (interval.End is { } end)
                {
                    Append(" TO ").Append(end.ToString().ToUpperInvariant());
                }

                break;
            case ColumnReference column:
                Names(column.Parts, ".");
                break;
            case UnaryExpression unary:
                Unary(unary);
                break;
            case BinaryExpression binary:
                var precedence = Precedence.Of(binary.Operator);
                Operand(binary.Left, precedence);
                Append(binary.Operator switch
                {
                    BinaryOperator.Or => " OR ",
                    BinaryOperator.And => " AND ",
                    BinaryOperator.Equal => " = ",
                    BinaryOperator.NotEqual => " <> ",
                    BinaryOperator.Less => " < ",
                    BinaryOperator.LessOrEqual => " <= ",
                    BinaryOperator.Greater => " > ",
                    BinaryOperator.GreaterOrEqual => " >= ",
                    BinaryOperator.IsDistinctFrom => " IS DISTINCT FROM ",
                    BinaryOperator.IsNotDistinctFrom => " IS NOT DISTINCT FROM ",
                    BinaryOperator.Add => " + ",
                    BinaryOperator.Subtract => " - ",
                    BinaryOperator.Multiply => " * ",
                    BinaryOperator.Divide => " / ",
                    BinaryOperator.Modulo => " % ",
                    _ => " || ",
                });
                Operand(binary.Right, precedence + 1);
                break;
            case IsExpression test:
                Operand(test.Operand, Precedence.Comparison);
                Append(test.Negated ? " IS NOT " : " IS ").Append(test.Test.ToString().ToUpperInvariant());
                break;
            case BetweenExpression between:
                Operand(between.Operand, Precedence.Comparison);
                Append(between.Negated ? " NOT BETWEEN " : " BETWEEN ");
                Operand(between.Low, Precedence.Additive);
                Append(" AND ");
                Operand(between.High, Precedence.Additive);
                break;
            case InListExpression inList:
                Operand(inList.Operand, Precedence.Comparison);
                Append(inList.Negated ? " NOT IN (" : " IN (");
                List(inList.Values, Expression);
                Append(")");
                break;
            case InSubqueryExpression inQuery:
                Operand(inQuery.Operand, Precedence.Comparison);
                Append(inQuery.Negated ? " NOT IN " : " IN ");
                Subquery(inQuery.Query);
                break;
            case LikeExpression like:
                Operand(like.Operand, Precedence.Comparison);
                Append(like.Negated ? " NOT LIKE " : " LIKE ");
                Operand(like.Pattern, Precedence.Additive);
                if (like.Escape is not null)
                {
                    Append(" ESCAPE ");
                    Operand(like.Escape, Precedence.Additive);
                }

                break;
            case ExistsExpression exists:
                Append("EXISTS ");
                Subquery(exists.Query);
                break;
            case ScalarSubquery subquery:
                Subquery(subquery.Query);
                break;
            case FunctionCall call:
                Call(call);
                break;
            case CastExpression cast:
                Append(cast.Try ? "TRY_CAST(" : "CAST(");
                Expression(cast.Operand);
                Append(" AS ");
                DataType(cast.Type);
                Append(")");
                break;
            case CaseExpression caseExpression:
                Append("CASE");
                if (caseExpression.Operand is not null)
                {
                    Append(" ");
                    Expression(caseExpression.Operand);
                }

                foreach (var when in caseExpression.Whens)
                {
                    Append(" WHEN ");
                    Expression(when.Condition);
                    Append(" THEN ");
                    Expression(when.Result);
                }

                if (caseExpression.Else is not null)
                {
                    Append(" ELSE ");
                    Expression(caseExpression.Else);
                }

                Append(" END");
                break;
            case ExtractExpression extract:
                Append("EXTRACT(").Append(ExtractUnit(extract.Unit)).Append(" FROM ");
                Expression(extract.Source);
                Append(")");
                break;
            case SubscriptExpression subscript:
                PostfixTarget(subscript.Target);
                Append("[");
                Expression(subscript.Index);
                Append("]");
                break;
            case FieldAccessExpression field:
                PostfixTarget(field.Target);
                Append(".");
                Name(field.Field);
                break;
            case ValueConstructor constructor:
                Append(constructor.Kind switch
                {
                    ConstructorKind.Array => "ARRAY[",
                    ConstructorKind.Map => "MAP[",
                    _ => "ROW(",
                });
                List(constructor.Elements, Expression);
                Append(constructor.Kind == ConstructorKind.Row ? ")" : "]");
                break;
            case TableArgument table:
                Append("TABLE ");
                Name(table.Table);
                if (table.PartitionBy.Count > 0)
                {
                    Append(" PARTITION BY ");
                    List(table.PartitionBy, Expression);
                }

                break;
            case DescriptorArgument descriptor:
                Append("DESCRIPTOR");
                NameList(descriptor.Columns);
                break;
            case NamedArgument named:
                Name(named.Name);
                Append(" => ");
                Expression(named.Value);
                break;
            default:
                throw new ArgumentException($"Unknown expression node {expression.GetType().Name}", nameof(expression));
        }
    }

    private void Unary(UnaryExpression unary)
    {
        if (unary.Operator == UnaryOperator.Not)
        {
            Append("NOT ");
            Operand(unary.Operand, Precedence.Not);
            return;
        }

        Append(unary.Operator == UnaryOperator.Negate ? "-" : "+");

        // "--" would start a comment, and "-(-x)" reads better than "- -x".
        if (unary.Operand is UnaryExpression { Operator: not UnaryOperator.Not })
        {
            Append("(");
            Expression(unary.Operand);
            Append(")");
        }
        else
        {
            Operand(unary.Operand, Precedence.Unary);
        }
    }

    /// <summary>
    /// The target of <c>[i]</c> or <c>.f</c>. A name chain or a number is parenthesised: <c>a.f</c> would read back as
    /// one longer name chain, and <c>1.f</c> as the number <c>1.</c>.
    /// </summary>
    private void PostfixTarget(SqlExpression target)
    {
        if (target is ColumnReference or NumericLiteral || Precedence.Of(target) < Precedence.Postfix)
        {
            Append("(");
            Expression(target);
            Append(")");
        }
        else
        {
            Expression(target);
        }
    }

    private void Call(FunctionCall call)
    {
        if (call.WithoutParentheses)
        {
            Append(call.Name.Parts[^1].Value.ToUpperInvariant());
            return;
        }

        Name(call.Name);
        Append("(");
        if (call.Distinct)
        {
            Append("DISTINCT ");
        }

        if (call.StarArgument)
        {
            Append("*");
        }
        else
        {
            List(call.Arguments, Expression);
        }

        Append(")");
        if (call.Filter is not null)
        {
            Append(" FILTER (WHERE ");
            Expression(call.Filter);
            Append(")");
        }

        if (call.Over is not null)
        {
            Append(" OVER ");
            WindowSpecification(call.Over);
        }
    }

    private static string ExtractUnit(TimeUnit unit) => unit switch
    {
        TimeUnit.DayOfWeek => "DOW",
        TimeUnit.DayOfYear => "DOY",
        _ => unit.ToString().ToUpperInvariant(),
    };
}
