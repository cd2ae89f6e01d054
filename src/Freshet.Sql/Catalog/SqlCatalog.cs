using System.Diagnostics.CodeAnalysis;
using Freshet.Sql.Ast;
using Freshet.Sql.Binding;

namespace Freshet.Sql.Catalog;

/// <summary>
/// The tables and views of a SQL session, changed by CREATE TABLE, CREATE [TEMPORARY] VIEW and DROP through
/// <see cref="Apply"/>, and read by SHOW TABLES, DESCRIBE and the binder. Table and view names share one namespace
/// and compare case-sensitively. In memory only; not thread-safe (one session uses it at a time).
/// </summary>
public sealed class SqlCatalog
{
    /// <summary>The WITH option naming a table's connector.</summary>
    public const string ConnectorOption = "connector";

    /// <summary>The connectors CREATE TABLE accepts. Only the name is checked here; each connector checks its own
    /// options when a job is planned.</summary>
    public static readonly IReadOnlyList<string> KnownConnectors =
        ["blackhole", "datagen", "filesystem", "freshet-log", "kafka", "print", "upsert-kafka"];

    /// <summary>Calls the binder gives a meaning of its own (operators, constructors, EXTRACT), not in the registry.</summary>
    private static readonly HashSet<string> BuiltInSyntax = new(StringComparer.Ordinal) { "ARRAY", "MAP", "ROW", "ITEM", "EXTRACT", "CAST", "TRY_CAST", "CASE" };

    private readonly Dictionary<string, CatalogTable> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CatalogView> _views = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CatalogFunction> _functions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Applies a catalog statement: CREATE TABLE, CREATE VIEW or DROP.</summary>
    /// <param name="statement">The parsed statement.</param>
    /// <exception cref="SqlValidationException">The statement is invalid, names an existing or missing object, or is
    /// not a catalog statement.</exception>
    public void Apply(SqlStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        switch (statement)
        {
            case CreateTableStatement create:
                CreateTable(create);
                break;
            case CreateViewStatement view:
                CreateView(view);
                break;
            case DropStatement drop:
                Drop(drop);
                break;
            default:
                throw new SqlValidationException("Only CREATE TABLE, CREATE VIEW and DROP change the catalog", statement.Span);
        }
    }

    /// <summary>Adds a table made outside CREATE TABLE (a view of a DataStream).</summary>
    /// <exception cref="SqlValidationException">A table or view with that name exists.</exception>
    internal void AddTable(CatalogTable table)
    {
        if (_tables.ContainsKey(table.Name) || _views.ContainsKey(table.Name))
        {
            throw new SqlValidationException($"Table or view '{table.Name}' already exists", default);
        }

        _tables.Add(table.Name, table);
    }

    /// <summary>Adds a temporary system function; names are case-insensitive and may not be a built-in function's.</summary>
    /// <exception cref="SqlValidationException">A built-in or registered function has that name.</exception>
    internal void AddFunction(CatalogFunction function)
    {
        var upper = function.Name.ToUpperInvariant();
        if (FunctionRegistry.TryGet(upper, out _) || FunctionRegistry.GroupWindowFunctions.Contains(upper) || BuiltInSyntax.Contains(upper))
        {
            throw new SqlValidationException($"'{function.Name}' is a built-in function; a temporary system function cannot replace it", default);
        }

        if (!_functions.TryAdd(function.Name, function))
        {
            throw new SqlValidationException($"Function '{function.Name}' already exists", default);
        }
    }

    /// <summary>Finds a temporary system function by name, ignoring case.</summary>
    internal bool TryGetFunction(string name, [MaybeNullWhen(false)] out CatalogFunction function) => _functions.TryGetValue(name, out function);

    /// <summary>SHOW TABLES: the names of all tables and views, sorted.</summary>
    /// <returns>The names in ordinal order.</returns>
    public IReadOnlyList<string> ShowTables() => _tables.Keys.Concat(_views.Keys).Order(StringComparer.Ordinal).ToArray();

    /// <summary>SHOW VIEWS: the names of the views, sorted.</summary>
    /// <returns>The names in ordinal order.</returns>
    public IReadOnlyList<string> ShowViews() => _views.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>DESCRIBE: the columns of a table or view.</summary>
    /// <param name="statement">The parsed DESCRIBE statement.</param>
    /// <returns>The columns in order.</returns>
    /// <exception cref="SqlValidationException">No table or view has that name.</exception>
    public IReadOnlyList<CatalogColumn> Describe(DescribeStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var name = SimpleName(statement.Name);
        if (_tables.TryGetValue(name, out var table))
        {
            return table.Columns;
        }

        if (_views.TryGetValue(name, out var view))
        {
            return view.Columns;
        }

        throw new SqlValidationException($"Table or view '{name}' not found{NameSuggestions.Hint(name, ShowTables())}", statement.Name.Span);
    }

    /// <summary>Finds a table by name.</summary>
    /// <param name="name">The table name, case-sensitive.</param>
    /// <param name="table">The table, when found.</param>
    /// <returns>Whether it was found.</returns>
    public bool TryGetTable(string name, [MaybeNullWhen(false)] out CatalogTable table) => _tables.TryGetValue(name, out table);

    /// <summary>Finds a view by name.</summary>
    /// <param name="name">The view name, case-sensitive.</param>
    /// <param name="view">The view, when found.</param>
    /// <returns>Whether it was found.</returns>
    public bool TryGetView(string name, [MaybeNullWhen(false)] out CatalogView view) => _views.TryGetValue(name, out view);

    /// <summary>The one-part name of a table; catalog and database qualifiers are refused.</summary>
    internal static string SimpleName(ObjectName name)
    {
        if (name.Parts.Count != 1)
        {
            throw new SqlValidationException(
                $"Qualified name '{string.Join('.', name.Parts.Select(p => p.Value))}' is not supported; catalogs and databases are not", name.Span);
        }

        return name.Parts[0].Value;
    }

    private bool Exists(string name) => _tables.ContainsKey(name) || _views.ContainsKey(name);

    private void CreateTable(CreateTableStatement create)
    {
        var name = SimpleName(create.Name);
        if (Exists(name))
        {
            if (create.IfNotExists)
            {
                return;
            }

            throw new SqlValidationException($"Table or view '{name}' already exists", create.Name.Span);
        }

        _tables.Add(name, CatalogTableBuilder.Build(name, create));
    }

    private void CreateView(CreateViewStatement create)
    {
        var name = SimpleName(create.Name);
        if (Exists(name))
        {
            if (create.IfNotExists)
            {
                return;
            }

            throw new SqlValidationException($"Table or view '{name}' already exists", create.Name.Span);
        }

        var query = new QueryBinder(this).Bind(create.Query);
        var names = query.Columns.Select(c => c.Name).ToArray();
        if (create.Columns.Count > 0)
        {
            if (create.Columns.Count != names.Length)
            {
                throw new SqlValidationException($"View '{name}' names {create.Columns.Count} columns, but its query has {names.Length}", create.Name.Span);
            }

            names = create.Columns.Select(c => c.Value).ToArray();
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in names)
        {
            if (!seen.Add(column))
            {
                throw new SqlValidationException($"View '{name}' has two columns named '{column}'; give one an alias", create.Query.Span);
            }
        }

        var columns = query.Columns.Select((c, i) => new CatalogColumn(names[i], c.Type, CatalogColumnKind.Physical));
        _views.Add(name, new CatalogView(name, new(columns), create.Query)
        {
            ColumnNames = new(create.Columns.Select(c => c.Value)),
            Temporary = create.Temporary,
        });
    }

    private void Drop(DropStatement drop)
    {
        var name = SimpleName(drop.Name);
        var isView = _views.ContainsKey(name);
        var isTable = _tables.ContainsKey(name);
        var kind = drop.Kind == DropObjectKind.Table ? "TABLE" : "VIEW";
        if ((drop.Kind == DropObjectKind.Table && isView) || (drop.Kind == DropObjectKind.View && isTable))
        {
            throw new SqlValidationException($"'{name}' is a {(isView ? "view" : "table")}, not a {kind.ToLowerInvariant()}; use DROP {(isView ? "VIEW" : "TABLE")}", drop.Name.Span);
        }

        var removed = drop.Kind == DropObjectKind.Table ? _tables.Remove(name) : _views.Remove(name);
        if (!removed && !drop.IfExists)
        {
            throw new SqlValidationException($"{(drop.Kind == DropObjectKind.Table ? "Table" : "View")} '{name}' not found{NameSuggestions.Hint(name, ShowTables())}", drop.Name.Span);
        }
    }
}
