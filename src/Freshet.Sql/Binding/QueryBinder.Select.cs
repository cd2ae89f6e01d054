using Freshet.Sql.Ast;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Binding;

/// <summary>One SELECT block: WHERE, GROUP BY, HAVING, the SELECT list, and the grouping check.</summary>
internal sealed partial class QueryBinder
{
    /// <param name="select">The block.</param>
    /// <param name="outer">The FROM row of the enclosing query when the block is a subquery of an expression, else null.</param>
    private BoundSelect BindSelect(SelectQuery select, Scope? outer = null)
    {
        BoundRelation? input = null;
        var scope = Scope.Empty;
        if (select.From is not null)
        {
            var (relation, entries, usingNames) = BindFrom(select.From);
            input = relation;
            scope = new Scope(entries, usingNames);
        }

        BoundExpression? filter = null;
        if (select.Where is not null)
        {
            filter = new ExpressionBinder(scope, this, Clause.Where, outer: outer).BindBoolean(select.Where, "WHERE");
        }

        var groupBinder = new ExpressionBinder(scope, this, Clause.GroupBy, outer: outer);
        var groupBy = select.GroupBy.Select(groupBinder.Bind).ToArray();

        var itemBinder = new ExpressionBinder(scope, this, Clause.Select, select.Windows, outer);
        var projections = new List<BoundExpression>();
        var names = new List<string>();
        foreach (var item in select.Items)
        {
            switch (item)
            {
                case StarSelectItem star:
                    ExpandStar(star, scope, projections, names);
                    break;
                case ExpressionSelectItem expression:
                    var bound = itemBinder.Bind(expression.Expression);
                    projections.Add(bound);
                    names.Add(expression.Alias?.Value ?? ImplicitName(expression.Expression, projections.Count - 1));
                    break;
            }
        }

        BoundExpression? having = null;
        var havingBinder = new ExpressionBinder(scope, this, Clause.Having, outer: outer);
        if (select.Having is not null)
        {
            having = havingBinder.BindBoolean(select.Having, "HAVING");
        }

        var isAggregate = groupBy.Length > 0 || having is not null || itemBinder.SawAggregate;
        if (isAggregate)
        {
            for (var i = 0; i < projections.Count; i++)
            {
                CheckGrouped(projections[i], groupBy);
            }

            if (having is not null)
            {
                CheckGrouped(having, groupBy);
            }
        }

        var isWindowAggregate = isAggregate && IsWindowGrouping(input, groupBy);
        if (itemBinder.SawOverAggregate && input is { Changelog: ChangelogKind.Updating })
        {
            throw new SqlValidationException("OVER aggregation over an updating input is not supported", select.Span);
        }

        if (isAggregate && (itemBinder.SawOverAggregate || itemBinder.SawRanking))
        {
            throw new SqlValidationException("OVER windows in an aggregating SELECT are not supported; aggregate in a subquery first", select.Span);
        }

        var columns = new List<BoundColumn>();
        for (var i = 0; i < projections.Count; i++)
        {
            var type = projections[i].Type;
            var keepsTimeAttribute = !isAggregate
                || (isWindowAggregate && projections[i] is BoundColumnReference { Name: "window_time" });
            columns.Add(new BoundColumn(names[i], keepsTimeAttribute ? type : type.WithoutTimeAttribute()));
        }

        var changelog = input is BoundSelect ranked && KeepsAppendOnly(ranked, filter) ? ChangelogKind.AppendOnly : input?.Changelog ?? ChangelogKind.AppendOnly;
        if ((isAggregate && !isWindowAggregate) || select.Distinct || itemBinder.SawRanking || SubqueriesUpdate(filter, projections))
        {
            changelog = ChangelogKind.Updating;
        }

        return new BoundSelect(input, filter, new(groupBy), having, new(projections))
        {
            Columns = new(columns),
            Changelog = changelog,
            Span = select.Span,
            IsAggregate = isAggregate,
            IsWindowAggregate = isWindowAggregate,
            Distinct = select.Distinct,
        };
    }

    /// <summary>
    /// Whether the subqueries of a block make its result updating, as the planner runs them: a subquery's result
    /// changes over time, so every subquery does except a positive <c>IN</c> or <c>EXISTS</c> conjunct of WHERE over
    /// an append-only subquery (a semi join of two append-only inputs only ever adds rows).
    /// </summary>
    private static bool SubqueriesUpdate(BoundExpression? filter, List<BoundExpression> projections)
    {
        var conjuncts = new List<BoundExpression>();
        Conjuncts(filter, conjuncts);
        foreach (var expression in conjuncts.Concat(projections))
        {
            var positive = expression is BoundSubquery { Kind: not BoundSubqueryKind.Scalar, Negated: false, Query.Changelog: ChangelogKind.AppendOnly } && conjuncts.Contains(expression);
            if (!positive && ContainsSubquery(expression))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the Top-N that <paramref name="filter"/> makes of <paramref name="ranked"/> (a SELECT numbering its rows
    /// with ROW_NUMBER) only inserts, as Flink derives it: a window Top-N or window deduplication (PARTITION BY
    /// window_start and window_end) and a deduplication keeping the first row by processing time, over an append-only
    /// input. Any other Top-N updates its result.
    /// </summary>
    private static bool KeepsAppendOnly(BoundSelect ranked, BoundExpression? filter)
    {
        if (ranked.Input is not { Changelog: ChangelogKind.AppendOnly } input || ranked.IsAggregate || ranked.Distinct)
        {
            return false;
        }

        for (var i = 0; i < ranked.Projections.Count; i++)
        {
            if (ranked.Projections[i] is not BoundCall { Function: "ROW_NUMBER", Over: { OrderBy.Count: > 0 } over })
            {
                continue;
            }

            if (Planning.RowNumberBounds.Find(filter, i) is not { } bounds)
            {
                return false;
            }

            var windowed = over.PartitionBy.Any(p => p is BoundColumnReference c && WindowOrigin(input, c.Ordinal) == 1)
                && over.PartitionBy.Any(p => p is BoundColumnReference c && WindowOrigin(input, c.Ordinal) == 2);
            var firstByProcessingTime = bounds.Range is { Start: 1, End: 1 }
                && over.OrderBy is [{ Descending: false, Expression: BoundColumnReference { Type.TimeAttribute: TimeAttributeKind.Proctime } }];
            return windowed || firstByProcessingTime;
        }

        return false;
    }

    private static void Conjuncts(BoundExpression? condition, List<BoundExpression> conjuncts)
    {
        if (condition is BoundCall { Function: "AND", Arguments: [var a, var b] })
        {
            Conjuncts(a, conjuncts);
            Conjuncts(b, conjuncts);
        }
        else if (condition is not null)
        {
            conjuncts.Add(condition);
        }
    }

    private static bool ContainsSubquery(BoundExpression expression) => expression switch
    {
        BoundSubquery => true,
        BoundCall call => call.Arguments.Any(ContainsSubquery) || (call.Filter is not null && ContainsSubquery(call.Filter)),
        BoundCast cast => ContainsSubquery(cast.Operand),
        BoundFieldAccess access => ContainsSubquery(access.Target),
        _ => false,
    };

    private static void ExpandStar(StarSelectItem star, Scope scope, List<BoundExpression> projections, List<string> names)
    {
        IEnumerable<ScopeEntry> entries = scope.Entries;
        if (star.Qualifier is not null)
        {
            var qualifier = string.Join('.', star.Qualifier.Parts.Select(p => p.Value));
            var entry = scope.FindEntry(qualifier)
                ?? throw new SqlValidationException(
                    $"Table '{qualifier}' not found in FROM{NameSuggestions.Hint(qualifier, scope.Entries.Where(e => e.Alias is not null).Select(e => e.Alias!))}",
                    star.Span);
            entries = [entry];
        }
        else if (scope.Entries.Count == 0)
        {
            throw new SqlValidationException("SELECT * needs a FROM clause", star.Span);
        }

        foreach (var entry in entries)
        {
            for (var i = 0; i < entry.Columns.Count; i++)
            {
                var column = entry.Columns[i];
                projections.Add(new BoundColumnReference(entry.Offset + i, column.Name) { Type = column.Type, Span = star.Span });
                names.Add(column.Name);
            }
        }
    }

    /// <summary>The output name Flink gives an unaliased item: the column or field name, else <c>EXPR$n</c>.</summary>
    private static string ImplicitName(SqlExpression expression, int index) => expression switch
    {
        ColumnReference column => column.Parts[^1].Value,
        FieldAccessExpression access => access.Field.Value,
        _ => $"EXPR${index}",
    };

    /// <summary>
    /// Every column an aggregating SELECT or HAVING uses outside an aggregate must be a GROUP BY key, or sit inside an
    /// expression that is one.
    /// </summary>
    private static void CheckGrouped(BoundExpression expression, BoundExpression[] groupBy)
    {
        if (Array.IndexOf(groupBy, expression) >= 0)
        {
            return;
        }

        switch (expression)
        {
            case BoundCall { Kind: BoundFunctionKind.Aggregate, Over: null }:
                return;
            case BoundColumnReference column:
                throw new SqlValidationException($"Expression '{column.Name}' is not being grouped", column.Span);
            case BoundCall call:
                foreach (var argument in call.Arguments)
                {
                    CheckGrouped(argument, groupBy);
                }

                return;
            case BoundCast cast:
                CheckGrouped(cast.Operand, groupBy);
                return;
            case BoundFieldAccess access:
                CheckGrouped(access.Target, groupBy);
                return;
            case BoundSubquery { Operand: { } operand }:
                CheckGrouped(operand, groupBy);
                return;
            default:
                return;
        }
    }

    /// <summary>
    /// Whether GROUP BY has the window_start and window_end of a window table function: read directly, or passed
    /// on by projections, filters and window aggregations (a cascaded window aggregation, as Flink allows).
    /// </summary>
    private static bool IsWindowGrouping(BoundRelation? input, BoundExpression[] groupBy)
    {
        if (input is null)
        {
            return false;
        }

        var hasStart = groupBy.Any(g => g is BoundColumnReference c && WindowOrigin(input, c.Ordinal) == 1);
        var hasEnd = groupBy.Any(g => g is BoundColumnReference c && WindowOrigin(input, c.Ordinal) == 2);
        return hasStart && hasEnd;
    }

    /// <summary>1 if the column is a window_start, 2 if a window_end of a window table function, else 0.</summary>
    private static int WindowOrigin(BoundRelation relation, int ordinal)
    {
        switch (relation)
        {
            case BoundWindowTableFunction window:
                var offset = ordinal - window.Input.Columns.Count;
                return offset is 0 or 1 ? offset + 1 : 0;
            case BoundSelect { Input: { } input } select when !select.IsAggregate || select.IsWindowAggregate:
                return select.Projections[ordinal] is BoundColumnReference column ? WindowOrigin(input, column.Ordinal) : 0;
            case BoundSort sort:
                return WindowOrigin(sort.Input, ordinal);
            default:
                return 0;
        }
    }
}
