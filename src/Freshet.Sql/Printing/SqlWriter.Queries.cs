using Freshet.Sql.Ast;

namespace Freshet.Sql.Printing;

/// <summary>Queries, FROM sources and windows.</summary>
internal sealed partial class SqlWriter
{
    private void Query(QueryExpression query)
    {
        switch (query)
        {
            case SelectQuery select:
                Select(select);
                break;
            case ValuesQuery values:
                Append("VALUES ");
                List(values.Rows, row =>
                {
                    Append("(");
                    List(row, Expression);
                    Append(")");
                });
                break;
            case SetOperationQuery set:
                var precedence = SetPrecedence(set.Operator);
                var leftBare = set.Left is SelectQuery or ValuesQuery
                    || (set.Left is SetOperationQuery left && SetPrecedence(left.Operator) >= precedence);
                QueryOperand(set.Left, leftBare);
                Append(set.Operator switch
                {
                    SetOperator.Union => " UNION ",
                    SetOperator.Intersect => " INTERSECT ",
                    _ => " EXCEPT ",
                });
                Append(set.All ? "ALL " : string.Empty);
                QueryOperand(set.Right, set.Right is SelectQuery or ValuesQuery);
                break;
            case Query wrapped:
                if (wrapped.With.Count > 0)
                {
                    Append("WITH ");
                    List(wrapped.With, cte =>
                    {
                        Name(cte.Name);
                        if (cte.Columns.Count > 0)
                        {
                            Append(" ");
                            NameList(cte.Columns);
                        }

                        Append(" AS ");
                        Subquery(cte.Query);
                    });
                    Append(" ");
                }

                QueryOperand(wrapped.Body, wrapped.Body is not Ast.Query);
                if (wrapped.OrderBy.Count > 0)
                {
                    Append(" ORDER BY ");
                    List(wrapped.OrderBy, OrderByItem);
                }

                if (wrapped.Limit is not null)
                {
                    Append(" LIMIT ");
                    Expression(wrapped.Limit);
                }

                break;
            default:
                throw new ArgumentException($"Unknown query node {query.GetType().Name}", nameof(query));
        }
    }

    private static int SetPrecedence(SetOperator op) => op == SetOperator.Intersect ? 2 : 1;

    private void QueryOperand(QueryExpression query, bool bare)
    {
        if (bare)
        {
            Query(query);
        }
        else
        {
            Subquery(query);
        }
    }

    private void Subquery(QueryExpression query)
    {
        Append("(");
        Query(query);
        Append(")");
    }

    private void Select(SelectQuery select)
    {
        Append(select.Distinct ? "SELECT DISTINCT " : "SELECT ");
        List(select.Items, SelectItem);
        if (select.From is not null)
        {
            Append(" FROM ");
            TableReference(select.From);
        }

        if (select.Where is not null)
        {
            Append(" WHERE ");
            Expression(select.Where);
        }

        if (select.GroupBy.Count > 0)
        {
            Append(" GROUP BY ");
            List(select.GroupBy, Expression);
        }

        if (select.Having is not null)
        {
            Append(" HAVING ");
            Expression(select.Having);
        }

        if (select.Windows.Count > 0)
        {
            Append(" WINDOW ");
            List(select.Windows, window =>
            {
                Name(window.Name);
                Append(" AS ");
                WindowSpecificationInParentheses(window.Specification);
            });
        }
    }

    private void SelectItem(SelectItem item)
    {
        switch (item)
        {
            case StarSelectItem star:
                if (star.Qualifier is not null)
                {
                    Name(star.Qualifier);
                    Append(".");
                }

                Append("*");
                break;
            case ExpressionSelectItem expression:
                Expression(expression.Expression);
                if (expression.Alias is not null)
                {
                    Append(" AS ");
                    Name(expression.Alias);
                }

                break;
            default:
                throw new ArgumentException($"Unknown select item node {item.GetType().Name}", nameof(item));
        }
    }

    private void OrderByItem(OrderByItem item)
    {
        Expression(item.Expression);
        Append(item.Direction switch
        {
            SortDirection.Ascending => " ASC",
            SortDirection.Descending => " DESC",
            _ => string.Empty,
        });
        Append(item.Nulls switch
        {
            NullOrdering.First => " NULLS FIRST",
            NullOrdering.Last => " NULLS LAST",
            _ => string.Empty,
        });
    }

    private void TableReference(TableReference table)
    {
        switch (table)
        {
            case NamedTableReference named:
                Name(named.Name);
                if (named.SystemTimeAsOf is not null)
                {
                    Append(" FOR SYSTEM_TIME AS OF ");
                    Expression(named.SystemTimeAsOf);
                }

                Alias(named.Alias);
                break;
            case DerivedTableReference derived:
                Subquery(derived.Query);
                Alias(derived.Alias);
                break;
            case TableFunctionReference function:
                Append("TABLE(").Append(function.Function).Append("(");
                List(function.Arguments, Expression);
                Append("))");
                Alias(function.Alias);
                break;
            case JoinReference join:
                TableReference(join.Left);
                Append(join.Kind switch
                {
                    JoinKind.Comma => ", ",
                    JoinKind.Inner => " JOIN ",
                    JoinKind.Left => " LEFT JOIN ",
                    JoinKind.Right => " RIGHT JOIN ",
                    JoinKind.Full => " FULL JOIN ",
                    _ => " CROSS JOIN ",
                });
                TableReference(join.Right);
                if (join.Condition is not null)
                {
                    Append(" ON ");
                    Expression(join.Condition);
                }
                else if (join.Using.Count > 0)
                {
                    Append(" USING ");
                    NameList(join.Using);
                }

                break;
            default:
                throw new ArgumentException($"Unknown table reference node {table.GetType().Name}", nameof(table));
        }
    }

    private void Alias(TableAlias? alias)
    {
        if (alias is null)
        {
            return;
        }

        Append(" AS ");
        Name(alias.Name);
        if (alias.Columns.Count > 0)
        {
            Append(" ");
            NameList(alias.Columns);
        }
    }

    private void WindowSpecification(WindowSpecification window)
    {
        if (window.BaseWindow is not null && window.PartitionBy.Count == 0 && window.OrderBy.Count == 0 && window.Frame is null)
        {
            Name(window.BaseWindow);
            return;
        }

        WindowSpecificationInParentheses(window);
    }

    private void WindowSpecificationInParentheses(WindowSpecification window)
    {
        Append("(");
        var parts = new List<Action>();
        if (window.BaseWindow is not null)
        {
            parts.Add(() => Name(window.BaseWindow));
        }

        if (window.PartitionBy.Count > 0)
        {
            parts.Add(() =>
            {
                Append("PARTITION BY ");
                List(window.PartitionBy, Expression);
            });
        }

        if (window.OrderBy.Count > 0)
        {
            parts.Add(() =>
            {
                Append("ORDER BY ");
                List(window.OrderBy, OrderByItem);
            });
        }

        if (window.Frame is { } frame)
        {
            parts.Add(() =>
            {
                Append(frame.Unit == FrameUnit.Rows ? "ROWS " : "RANGE ");
                if (frame.End is null)
                {
                    FrameBound(frame.Start);
                }
                else
                {
                    Append("BETWEEN ");
                    FrameBound(frame.Start);
                    Append(" AND ");
                    FrameBound(frame.End);
                }
            });
        }

        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                Append(" ");
            }

            parts[i]();
        }

        Append(")");
    }

    private void FrameBound(FrameBound bound)
    {
        switch (bound.Kind)
        {
            case FrameBoundKind.UnboundedPreceding:
                Append("UNBOUNDED PRECEDING");
                break;
            case FrameBoundKind.UnboundedFollowing:
                Append("UNBOUNDED FOLLOWING");
                break;
            case FrameBoundKind.CurrentRow:
                Append("CURRENT ROW");
                break;
            default:
                Operand(bound.Offset!, Parsing.Precedence.Additive);
                Append(bound.Kind == FrameBoundKind.Preceding ? " PRECEDING" : " FOLLOWING");
                break;
        }
    }
}
