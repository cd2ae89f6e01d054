using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Printing;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Catalog;

/// <summary>
/// Validates a CREATE TABLE and builds its <see cref="CatalogTable"/>: unique column names; computed columns that use
/// only physical and metadata columns and no aggregates; a watermark on a top-level TIMESTAMP(3) or
/// TIMESTAMP_LTZ(3) column whose expression has the same type kind; primary-key columns that exist, are not
/// computed, and become NOT NULL; WITH options without duplicate keys and with a known <c>connector</c>;
/// a primary key for <c>upsert-kafka</c>. Pure; thread-safe.
/// </summary>
internal static class CatalogTableBuilder
{
    public static CatalogTable Build(string name, CreateTableStatement create)
    {
        var options = Options(name, create);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in create.Columns)
        {
            if (!seen.Add(column.Name.Value))
            {
                throw new SqlValidationException($"Duplicate column '{column.Name.Value}' in table '{name}'", column.Name.Span);
            }
        }

        var primaryKey = PrimaryKey(name, create);
        var columns = new List<CatalogColumn>();
        var stored = new List<BoundColumn>();
        foreach (var column in create.Columns)
        {
            switch (column)
            {
                case PhysicalColumn physical:
                    columns.Add(new CatalogColumn(column.Name.Value, KeyType(SqlTypeConverter.Convert(physical.Type), column, primaryKey), CatalogColumnKind.Physical));
                    break;
                case MetadataColumn metadata:
                    columns.Add(new CatalogColumn(column.Name.Value, KeyType(SqlTypeConverter.Convert(metadata.Type), column, primaryKey), CatalogColumnKind.Metadata)
                    {
                        MetadataKey = metadata.Key,
                        IsVirtual = metadata.Virtual,
                    });
                    break;
                case ComputedColumn:
                    // Typed below, once every physical and metadata column is known.
                    columns.Add(new CatalogColumn(column.Name.Value, SqlType.Null, CatalogColumnKind.Computed));
                    break;
            }

            stored.Add(new BoundColumn(columns[^1].Name, columns[^1].Type));
        }

        // Computed columns see the physical and metadata columns only (as in Flink), so each is bound against a
        // scope in which the computed ones are hidden.
        var physicalScope = new Scope([new ScopeEntry(name, stored.Where((_, i) => columns[i].Kind != CatalogColumnKind.Computed).ToArray(), 0)], new HashSet<string>(StringComparer.Ordinal));
        var binder = new QueryBinder(new SqlCatalog());
        for (var i = 0; i < create.Columns.Count; i++)
        {
            if (create.Columns[i] is ComputedColumn computed)
            {
                var bound = new ExpressionBinder(physicalScope, binder, Clause.ComputedColumn).Bind(computed.Expression);
                if (bound.Type.Kind == SqlTypeKind.Null)
                {
                    throw new SqlValidationException($"Computed column '{computed.Name.Value}' has no type; CAST the NULL", computed.Expression.Span);
                }

                if (primaryKey.Contains(computed.Name.Value))
                {
                    throw new SqlValidationException($"Computed column '{computed.Name.Value}' cannot be part of the primary key", create.PrimaryKey!.Span);
                }

                columns[i] = columns[i] with { Type = bound.Type, Expression = SqlPrinter.Print(computed.Expression) };
            }
        }

        string? rowtime = null;
        if (create.Watermark is { } watermark)
        {
            rowtime = Watermark(name, watermark, columns);
        }

        return new CatalogTable(name, new(columns.Select(c => MarkKey(c, primaryKey))), options.AsReadOnly())
        {
            PrimaryKey = new(primaryKey),
            RowtimeColumn = rowtime,
            Temporary = create.Temporary,
        };
    }

    private static SqlType KeyType(SqlType type, TableColumn column, List<string> primaryKey) =>
        primaryKey.Contains(column.Name.Value) ? type.WithNullable(false) : type;

    private static CatalogColumn MarkKey(CatalogColumn column, List<string> primaryKey) =>
        primaryKey.Contains(column.Name) ? column with { IsPrimaryKey = true } : column;

    private static List<string> PrimaryKey(string name, CreateTableStatement create)
    {
        var key = new List<string>();
        if (create.PrimaryKey is null)
        {
            return key;
        }

        foreach (var column in create.PrimaryKey.Columns)
        {
            if (!create.Columns.Any(c => c.Name.Value == column.Value))
            {
                throw new SqlValidationException(
                    $"Primary key column '{column.Value}' not found in table '{name}'{NameSuggestions.Hint(column.Value, create.Columns.Select(c => c.Name.Value))}",
                    column.Span);
            }

            if (key.Contains(column.Value))
            {
                throw new SqlValidationException($"Primary key column '{column.Value}' is listed twice", column.Span);
            }

            key.Add(column.Value);
        }

        return key;
    }

    private static string Watermark(string name, WatermarkDefinition watermark, List<CatalogColumn> columns)
    {
        if (watermark.Column.Count != 1)
        {
            throw new SqlValidationException("A watermark on a nested field is not supported; declare a computed column for it", watermark.Span);
        }

        var columnName = watermark.Column[0];
        var index = columns.FindIndex(c => c.Name == columnName.Value);
        if (index < 0)
        {
            throw new SqlValidationException(
                $"Watermark column '{columnName.Value}' not found in table '{name}'{NameSuggestions.Hint(columnName.Value, columns.Select(c => c.Name))}",
                columnName.Span);
        }

        var type = columns[index].Type;
        if (!SqlTypeRules.IsTimestamp(type) || type.Precision != 3)
        {
            throw new SqlValidationException(
                $"Watermark column '{columnName.Value}' must be TIMESTAMP(3) or TIMESTAMP_LTZ(3), but is {ExpressionBinder.Describe(type)}", columnName.Span);
        }

        // The watermark expression sees every column, computed ones included.
        var scope = new Scope([new ScopeEntry(name, columns.Select(c => new BoundColumn(c.Name, c.Type)).ToArray(), 0)], new HashSet<string>(StringComparer.Ordinal));
        var bound = new ExpressionBinder(scope, new QueryBinder(new SqlCatalog()), Clause.Watermark).Bind(watermark.Expression);
        if (bound.Type.Kind != type.Kind)
        {
            throw new SqlValidationException(
                $"The watermark expression must be {ExpressionBinder.Describe(type)} like its column, but is {ExpressionBinder.Describe(bound.Type)}", watermark.Expression.Span);
        }

        columns[index] = columns[index] with
        {
            Type = type with { TimeAttribute = TimeAttributeKind.Rowtime },
            Watermark = SqlPrinter.Print(watermark.Expression),
        };
        return columnName.Value;
    }

    private static Dictionary<string, string> Options(string name, CreateTableStatement create)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in create.Options)
        {
            if (!options.TryAdd(option.Key, option.Value))
            {
                throw new SqlValidationException($"Option '{option.Key}' is given twice", option.Span);
            }
        }

        var known = string.Join(", ", SqlCatalog.KnownConnectors);
        if (!options.TryGetValue(SqlCatalog.ConnectorOption, out var connector))
        {
            throw new SqlValidationException($"Table '{name}' has no 'connector' option; known connectors: {known}", create.Name.Span);
        }

        if (!SqlCatalog.KnownConnectors.Contains(connector))
        {
            var span = create.Options.First(o => o.Key == SqlCatalog.ConnectorOption).Span;
            throw new SqlValidationException($"Unknown connector '{connector}'{NameSuggestions.Hint(connector, SqlCatalog.KnownConnectors)}; known connectors: {known}", span);
        }

        if (connector == "upsert-kafka" && create.PrimaryKey is null)
        {
            throw new SqlValidationException($"Table '{name}' uses connector 'upsert-kafka', which needs a PRIMARY KEY", create.Name.Span);
        }

        return options;
    }
}
