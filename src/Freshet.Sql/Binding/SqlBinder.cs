using Freshet.Sql.Ast;
using Freshet.Sql.Catalog;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Binding;

/// <summary>
/// Binds parsed statements that read or write data (queries, INSERT, EXECUTE STATEMENT SET, EXPLAIN) against a
/// <see cref="SqlCatalog"/>: every name resolved, every expression typed, aggregate placement and INSERT targets
/// checked. The result is a bound tree the planner (<c>Planning/RelationPlanner</c>) walks. Catalog statements (CREATE, DROP, SHOW, DESCRIBE) go to
/// <see cref="SqlCatalog.Apply"/> instead. Binding runs nothing. Thread-safe as long as the catalog is not changed meanwhile.
/// </summary>
public static class SqlBinder
{
    /// <summary>Binds <paramref name="statement"/> against <paramref name="catalog"/>.</summary>
    /// <param name="statement">A parsed statement.</param>
    /// <param name="catalog">The tables and views it may use.</param>
    /// <returns>The bound statement.</returns>
    /// <exception cref="SqlValidationException">The statement is not valid, or is a catalog or session statement.</exception>
    public static BoundStatement Bind(SqlStatement statement, SqlCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(catalog);
        return statement switch
        {
            QueryStatement query => new BoundQueryStatement(new QueryBinder(catalog).Bind(query.Query)) { Span = statement.Span },
            InsertStatement insert => BindInsert(insert, catalog),
            StatementSetStatement set => new BoundStatementSet(new(set.Inserts.Select(i => BindInsert(i, catalog)))) { Span = set.Span },
            ExplainStatement explain => new BoundExplain(Bind(explain.Statement, catalog)) { Span = explain.Span },
            CreateTableStatement or CreateViewStatement or DropStatement or ShowStatement or DescribeStatement =>
                throw new SqlValidationException("Catalog statements are applied with SqlCatalog.Apply, not bound", statement.Span),
            _ => throw new SqlValidationException("SET and RESET change the session and have nothing to bind", statement.Span),
        };
    }

    private static BoundInsert BindInsert(InsertStatement insert, SqlCatalog catalog)
    {
        var name = SqlCatalog.SimpleName(insert.Table);
        if (catalog.TryGetView(name, out _))
        {
            throw new SqlValidationException($"Cannot INSERT into view '{name}'", insert.Table.Span);
        }

        if (!catalog.TryGetTable(name, out var table))
        {
            throw new SqlValidationException($"Table '{name}' not found{NameSuggestions.Hint(name, catalog.ShowTables())}", insert.Table.Span);
        }

        var query = new QueryBinder(catalog).Bind(insert.Query);
        var targets = new List<int>();
        if (insert.Columns.Count == 0)
        {
            for (var i = 0; i < table.Columns.Count; i++)
            {
                if (table.Columns[i].IsWritable)
                {
                    targets.Add(i);
                }
            }
        }
        else
        {
            foreach (var column in insert.Columns)
            {
                var index = IndexOf(table, column.Value);
                if (index < 0)
                {
                    throw new SqlValidationException(
                        $"Column '{column.Value}' not found in table '{name}'{NameSuggestions.Hint(column.Value, table.Columns.Select(c => c.Name))}",
                        column.Span);
                }

                if (!table.Columns[index].IsWritable)
                {
                    throw new SqlValidationException($"Column '{column.Value}' of table '{name}' is computed or virtual and cannot be written", column.Span);
                }

                if (targets.Contains(index))
                {
                    throw new SqlValidationException($"Column '{column.Value}' is listed twice", column.Span);
                }

                targets.Add(index);
            }
        }

        if (targets.Count != query.Columns.Count)
        {
            throw new SqlValidationException(
                $"INSERT INTO '{name}' has {targets.Count} target columns, but the query produces {query.Columns.Count}", insert.Query.Span);
        }

        var values = new BoundExpression?[table.Columns.Count];
        for (var i = 0; i < targets.Count; i++)
        {
            var column = table.Columns[targets[i]];
            var source = query.Columns[i].Type;
            var span = query is BoundSelect select && i < select.Projections.Count ? select.Projections[i].Span : insert.Query.Span;
            if (!SqlTypeRules.Assignable(source, column.Type))
            {
                throw new SqlValidationException(
                    $"Cannot assign {ExpressionBinder.Describe(source)} to column '{column.Name}' of type {ExpressionBinder.Describe(column.Type)} in table '{name}'",
                    span);
            }

            BoundExpression value = new BoundColumnReference(i, query.Columns[i].Name) { Type = source, Span = span };
            if (Normal(source) != Normal(column.Type))
            {
                value = new BoundCast(value, Try: false) { Type = column.Type, Span = span };
            }

            values[targets[i]] = value;
        }

        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            if (values[i] is null && column.IsWritable)
            {
                if (!column.Type.Nullable)
                {
                    throw new SqlValidationException($"Column '{column.Name}' of table '{name}' is NOT NULL and gets no value", insert.Table.Span);
                }

                values[i] = new BoundLiteral(null) { Type = column.Type, Span = insert.Table.Span };
            }
        }

        if (query.Changelog == ChangelogKind.Updating && !table.AcceptsUpdates)
        {
            throw new SqlValidationException(
                $"Table '{name}' (connector '{table.Connector}') accepts only append-only rows, but the query produces updates",
                insert.Query.Span);
        }

        return new BoundInsert(table, query, new(values.Where(v => v is not null).Select(v => v!))) { Span = insert.Span };
    }

    private static SqlType Normal(SqlType type) => type.WithNullable(true).WithoutTimeAttribute();

    private static int IndexOf(CatalogTable table, string column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (table.Columns[i].Name == column)
            {
                return i;
            }
        }

        return -1;
    }
}
