using Freshet.Sql.Ast;
using Freshet.Sql.Catalog;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Binding;

/// <summary>
/// Binds queries to <see cref="BoundRelation"/> trees against a <see cref="SqlCatalog"/>: FROM items (tables, views,
/// CTEs, subqueries, joins, window table functions), SELECT blocks, set operations, VALUES, ORDER BY and LIMIT,
/// deriving each node's output columns and changelog kind. One instance per statement; not thread-safe.
/// </summary>
internal sealed partial class QueryBinder
{
    /// <summary>Views nested deeper than this are taken to refer to themselves.</summary>
    private const int MaxViewDepth = 32;

    private readonly SqlCatalog _catalog;
    private readonly Dictionary<string, BoundRelation> _ctes;
    private readonly int _viewDepth;

    public QueryBinder(SqlCatalog catalog)
        : this(catalog, new Dictionary<string, BoundRelation>(StringComparer.Ordinal), 0)
    {
    }

    private QueryBinder(SqlCatalog catalog, Dictionary<string, BoundRelation> ctes, int viewDepth)
    {
        _catalog = catalog;
        _ctes = ctes;
        _viewDepth = viewDepth;
    }

    /// <summary>The catalog bound against (for the temporary system functions of expressions).</summary>
    public SqlCatalog Catalog => _catalog;

    /// <summary>
    /// Binds a subquery of an expression; it sees the CTEs in scope and, when it is a plain SELECT block, the columns
    /// of <paramref name="outer"/> (the enclosing SELECT's FROM row) in its WHERE, SELECT list, GROUP BY and HAVING,
    /// as <see cref="BoundOuterReference"/>s. Its own names hide the outer ones.
    /// </summary>
    public BoundRelation BindSubquery(QueryExpression query, Scope outer) =>
        query is SelectQuery select ? BindSelect(select, outer) : Bind(query);

    public BoundRelation Bind(QueryExpression query) => query switch
    {
        Query withOrder => BindQuery(withOrder),
        SelectQuery select => BindSelect(select),
        SetOperationQuery set => BindSetOperation(set),
        ValuesQuery values => BindValues(values),
        _ => throw new SqlValidationException($"{query.GetType().Name} is not supported", query.Span),
    };

    private BoundRelation BindQuery(Query query)
    {
        var binder = this;
        if (query.With.Count > 0)
        {
            binder = new QueryBinder(_catalog, new Dictionary<string, BoundRelation>(_ctes, StringComparer.Ordinal), _viewDepth);
            foreach (var cte in query.With)
            {
                var bound = binder.Bind(cte.Query);
                bound = Rename(bound, cte.Columns, cte.Name.Value, cte.Span);
                if (!binder._ctes.TryAdd(cte.Name.Value, bound))
                {
                    throw new SqlValidationException($"WITH defines '{cte.Name.Value}' twice", cte.Name.Span);
                }
            }
        }

        var body = binder.Bind(query.Body);
        if (query.OrderBy.Count == 0 && query.Limit is null)
        {
            return body;
        }

        var scope = new Scope([new ScopeEntry(null, body.Columns, 0)], new HashSet<string>(StringComparer.Ordinal));
        var orderBinder = new ExpressionBinder(scope, binder, Clause.OrderBy);
        var keys = query.OrderBy.Select(o => new BoundSortKey(orderBinder.Bind(o.Expression), o.Direction == SortDirection.Descending) { NullsFirst = o.Nulls is null ? null : o.Nulls == NullOrdering.First }).ToArray();
        BoundExpression? limit = null;
        if (query.Limit is not null)
        {
            limit = new ExpressionBinder(Scope.Empty, binder, Clause.Limit).Bind(query.Limit);
            if (limit is not BoundLiteral || !SqlTypeRules.IsExactInteger(limit.Type))
            {
                throw new SqlValidationException("LIMIT must be an integer literal", query.Limit.Span);
            }
        }

        // A sort on anything but an ascending time attribute, with a limit, keeps a changing top list: updates. A limit
        // alone keeps the first rows to arrive, and an ascending time attribute alone is the stream's own order.
        var timeOrdered = keys.Length > 0 && !keys[0].Descending && keys[0].Expression.Type.TimeAttribute != TimeAttributeKind.None;
        var changelog = (limit is null && timeOrdered) || (limit is not null && keys.Length == 0) ? body.Changelog : ChangelogKind.Updating;
        return new BoundSort(body, new NodeList<BoundSortKey>(keys), limit) { Columns = body.Columns, Changelog = changelog, Span = query.Span };
    }

    private BoundRelation BindSetOperation(SetOperationQuery set)
    {
        var name = set.Operator.ToString().ToUpperInvariant();
        var left = Bind(set.Left);
        var right = Bind(set.Right);
        if (left.Columns.Count != right.Columns.Count)
        {
            throw new SqlValidationException(
                $"{name} inputs have {left.Columns.Count} and {right.Columns.Count} columns", set.Right.Span);
        }

        var columns = new List<BoundColumn>();
        for (var i = 0; i < left.Columns.Count; i++)
        {
            var type = SqlTypeRules.CommonType(left.Columns[i].Type, right.Columns[i].Type)
                ?? throw new SqlValidationException(
                    $"{name} column {i + 1} ('{left.Columns[i].Name}') has incompatible types {ExpressionBinder.Describe(left.Columns[i].Type)} and {ExpressionBinder.Describe(right.Columns[i].Type)}",
                    set.Right.Span);

            // Both inputs carrying the same kind of time attribute keep it (a union of two event streams); INTERSECT
            // and EXCEPT aggregate, so their rows carry no time attribute.
            var attribute = set.Operator == SetOperator.Union && left.Columns[i].Type.TimeAttribute == right.Columns[i].Type.TimeAttribute
                ? left.Columns[i].Type.TimeAttribute
                : TimeAttributeKind.None;
            columns.Add(new BoundColumn(left.Columns[i].Name, type with { TimeAttribute = attribute }));
        }

        if (set.Operator != SetOperator.Union)
        {
            return new BoundSetOperation(left, right, set.Operator, set.All) { Columns = new(columns), Changelog = ChangelogKind.Updating, Span = set.Span };
        }

        var changelog = set.All && left.Changelog == ChangelogKind.AppendOnly && right.Changelog == ChangelogKind.AppendOnly
            ? ChangelogKind.AppendOnly
            : ChangelogKind.Updating;
        return new BoundUnion(left, right, set.All) { Columns = new(columns), Changelog = changelog, Span = set.Span };
    }

    private BoundValues BindValues(ValuesQuery values)
    {
        var binder = new ExpressionBinder(Scope.Empty, this, Clause.Values);
        var rows = values.Rows.Select(r => r.Select(binder.Bind).ToArray()).ToArray();
        var width = rows[0].Length;
        var types = rows[0].Select(e => e.Type).ToArray();
        for (var r = 1; r < rows.Length; r++)
        {
            if (rows[r].Length != width)
            {
                throw new SqlValidationException($"VALUES rows have {width} and {rows[r].Length} values", values.Rows[r][0].Span);
            }

            for (var c = 0; c < width; c++)
            {
                types[c] = SqlTypeRules.CommonType(types[c], rows[r][c].Type)
                    ?? throw new SqlValidationException(
                        $"VALUES column {c + 1} has incompatible types {ExpressionBinder.Describe(types[c])} and {ExpressionBinder.Describe(rows[r][c].Type)}",
                        values.Rows[r][c].Span);
            }
        }

        var columns = types.Select((t, i) => new BoundColumn($"EXPR${i}", t.Kind == SqlTypeKind.Null ? SqlType.Null : t));
        return new BoundValues(new(rows.Select(r => new NodeList<BoundExpression>(r))))
        {
            Columns = new(columns),
            Changelog = ChangelogKind.AppendOnly,
            Span = values.Span,
        };
    }

    /// <summary>Renames a relation's columns by an alias column list (<c>AS t (a, b)</c>, <c>WITH q (a, b)</c>).</summary>
    private static BoundRelation Rename(BoundRelation relation, NodeList<Identifier> names, string owner, Syntax.SqlSpan span)
    {
        if (names.Count == 0)
        {
            return relation;
        }

        if (names.Count != relation.Columns.Count)
        {
            throw new SqlValidationException(
                $"'{owner}' names {names.Count} columns, but its query has {relation.Columns.Count}", span);
        }

        CheckUnique(names);
        var columns = relation.Columns.Select((c, i) => c with { Name = names[i].Value });
        return relation with { Columns = new(columns) };
    }

    private static void CheckUnique(IEnumerable<Identifier> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!seen.Add(name.Value))
            {
                throw new SqlValidationException($"Duplicate column '{name.Value}'", name.Span);
            }
        }
    }
}
