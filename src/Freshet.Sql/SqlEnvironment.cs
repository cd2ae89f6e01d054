using System.Runtime.CompilerServices;
using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Catalog;
using Freshet.Sql.Connectors;
using Freshet.Sql.Parsing;
using Freshet.Sql.Planning;
using Freshet.Sql.Printing;
using Freshet.Sql.Typing;
using Freshet.Streaming;
using Freshet.Streaming.Tables;

namespace Freshet.Sql;

/// <summary>
/// SQL on a <see cref="StreamEnvironment"/> (Flink's <c>StreamTableEnvironment</c>; DESIGN.md decision 14): a
/// catalog of tables and views, and two ways to run SQL.
/// <list type="bullet">
/// <item><see cref="ExecuteSqlAsync"/> runs one statement on its own: catalog statements change the catalog, and a
/// query or INSERT becomes a job of its own (in a fresh environment with this one's options), so statements do not
/// share a graph.</item>
/// <item><see cref="SqlQuery"/>, <see cref="AddInsert"/>, <see cref="ToDataStream"/>, <see cref="ToChangelogStream"/>
/// and <see cref="CreateTemporaryView{T}"/> plan into <see cref="Environment"/> itself, so SQL and C# operators mix in
/// one job that runs when the environment executes.</item>
/// </list>
/// Get one with <c>env.Sql</c> or <see cref="Create"/>. Not thread-safe: one session uses it at a time.
/// </summary>
public sealed class SqlEnvironment
{
    private static readonly ConditionalWeakTable<StreamEnvironment, SqlEnvironment> Attached = new();

    private readonly Dictionary<string, DataStreamTable> _streamTables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);

    private SqlEnvironment(StreamEnvironment environment, SqlEnvironmentOptions options)
    {
        Environment = environment;
        Options = options;
    }

    /// <summary>The environment SQL plans into.</summary>
    public StreamEnvironment Environment { get; }

    /// <summary>Where tables live.</summary>
    public SqlEnvironmentOptions Options { get; }

    /// <summary>The session's tables and views.</summary>
    public SqlCatalog Catalog { get; } = new();

    /// <summary>Session settings made with SET (Flink's keys; see docs/sql.md for the ones Freshet reads).</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;

    /// <summary>Attaches SQL with <paramref name="options"/> to <paramref name="environment"/>; <c>env.Sql</c> returns it from then on.</summary>
    /// <exception cref="InvalidOperationException">The environment has SQL attached already.</exception>
    public static SqlEnvironment Create(StreamEnvironment environment, SqlEnvironmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var sql = new SqlEnvironment(environment, options ?? new SqlEnvironmentOptions());
        if (!Attached.TryAdd(environment, sql))
        {
            throw new InvalidOperationException("This environment has SQL attached already; use env.Sql");
        }

        return sql;
    }

    /// <summary>The SQL attached to <paramref name="environment"/>, attached with default options on first use.</summary>
    public static SqlEnvironment For(StreamEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Attached.GetValue(environment, static env => new SqlEnvironment(env, new SqlEnvironmentOptions()));
    }

    /// <summary>
    /// Runs one statement (Flink's <c>executeSql</c>). CREATE, DROP, SET and RESET change the session and return
    /// <see cref="SqlResultKind.Success"/>; SHOW, DESCRIBE, SET without a key and EXPLAIN return their answer as
    /// rows; a query starts a job and returns its rows as they change; INSERT and EXECUTE STATEMENT SET start a job and
    /// return it.
    /// </summary>
    /// <exception cref="SqlException">The statement does not parse, does not bind, or uses something that does not run
    /// yet; the message names the line, the column and the problem. The session is unchanged.</exception>
    public async Task<SqlResult> ExecuteSqlAsync(string statement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var parsed = SqlParser.ParseStatement(statement);
        switch (parsed)
        {
            case CreateTableStatement or CreateViewStatement or DropStatement:
                Catalog.Apply(parsed);
                return SqlResult.Success("OK");
            case ShowStatement show:
                var names = show.Kind == ShowObjectKind.Views ? Catalog.ShowViews() : Catalog.ShowTables();
                return SqlResult.Fixed([new SqlColumn(show.Kind == ShowObjectKind.Views ? "view name" : "table name", SqlType.String.WithNullable(false))],
                    names.Select(n => new Row(n)));
            case DescribeStatement describe:
                return Describe(describe);
            case SetStatement { Option: null }:
                return SqlResult.Fixed([new SqlColumn("key", SqlType.String.WithNullable(false)), new SqlColumn("value", SqlType.String.WithNullable(false))],
                    _settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new Row(s.Key, s.Value)));
            case SetStatement { Option: { } option }:
                SessionSettings.Validate(option);
                _settings[option.Key] = option.Value;
                return SqlResult.Success("OK");
            case ResetStatement reset:
                if (reset.Key is null)
                {
                    _settings.Clear();
                }
                else
                {
                    _settings.Remove(reset.Key);
                }

                return SqlResult.Success("OK");
            case ExplainStatement explain:
                return SqlResult.Fixed([new SqlColumn("plan", SqlType.String.WithNullable(false))], [new Row(Explain(explain.Statement))]);
            case QueryStatement query:
                return await RunQueryAsync(query, cancellationToken).ConfigureAwait(false);
            default:
                return await RunInsertsAsync(parsed, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Plans a query into <see cref="Environment"/> (Flink's <c>sqlQuery</c>); it runs when the environment executes.</summary>
    /// <exception cref="SqlException">The text is not a valid query, or uses something that does not run yet.</exception>
    public SqlTable SqlQuery(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (SqlParser.ParseStatement(query) is not QueryStatement statement)
        {
            throw new SqlValidationException("SqlQuery takes a query (SELECT, VALUES, WITH ...)", default);
        }

        var bound = (BoundQueryStatement)SqlBinder.Bind(statement, Catalog);
        return new SqlTable(this, Planner(Environment).Plan(bound.Query));
    }

    /// <summary>Plans an INSERT (or EXECUTE STATEMENT SET) into <see cref="Environment"/> (Flink's
    /// <c>StatementSet.addInsertSql</c>); it runs when the environment executes.</summary>
    /// <exception cref="SqlException">The text is not a valid INSERT, or uses something that does not run yet.</exception>
    public void AddInsert(string insert)
    {
        ArgumentNullException.ThrowIfNull(insert);
        var parsed = SqlParser.ParseStatement(insert);
        if (parsed is not (InsertStatement or StatementSetStatement))
        {
            throw new SqlValidationException("AddInsert takes INSERT INTO ... or EXECUTE STATEMENT SET", parsed.Span);
        }

        PlanInserts(SqlBinder.Bind(parsed, Catalog), Planner(Environment));
    }

    /// <summary>The rows of an append-only query as a stream (Flink's <c>toDataStream</c>).</summary>
    /// <exception cref="InvalidOperationException">The query updates or deletes rows (use <see cref="ToChangelogStream"/>),
    /// or belongs to another environment.</exception>
    public DataStream<Row> ToDataStream(SqlTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Own(table);
        if (table.Changelog != ChangelogKind.AppendOnly)
        {
            throw new InvalidOperationException("The query updates its rows, so it has no append-only stream; use ToChangelogStream");
        }

        return RelationPlanner.Forwarded(table.Planned.Stream.Map(static change => change.Row).WithName("ToDataStream"), table.Planned.Stream);
    }

    /// <summary>Every change of a query's result as a stream (Flink's <c>toChangelogStream</c>).</summary>
    /// <exception cref="InvalidOperationException">The query belongs to another environment.</exception>
    public DataStream<Change<Row>> ToChangelogStream(SqlTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Own(table);
        return table.Planned.Stream;
    }

    /// <summary>
    /// A query's result as a C# table keyed by one column (for example its GROUP BY column), so that C# table
    /// operators, upsert sinks and interactive queries (<c>Table.Queryable</c>) can use it. Each insert or update-after
    /// sets the key's row, each delete removes it (as does an update-before whose update-after a filter dropped). The
    /// column must be a unique key of the result, and its values never NULL (a row with a NULL key fails the job): a
    /// query's changes for one key are then emitted in order by one subtask, as the table's normalisation needs.
    /// </summary>
    /// <typeparam name="TKey">The column's .NET type in <see cref="Row"/>'s representation (BIGINT <see cref="long"/>,
    /// VARCHAR <see cref="string"/>, ...).</typeparam>
    /// <param name="table">The query.</param>
    /// <param name="keyColumn">The key column's name.</param>
    /// <exception cref="ArgumentException">No such column, or <typeparamref name="TKey"/> is not its .NET type.</exception>
    /// <exception cref="InvalidOperationException">The query belongs to another environment.</exception>
    public Table<TKey, Row> ToTable<TKey>(SqlTable table, string keyColumn)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(table);
        Own(table);
        var ordinal = KeyOrdinals(table, [keyColumn])[0];
        var column = table.Planned.Columns[ordinal];
        if (RowValueTypes.ClrTypeOf(column.Type) != typeof(TKey))
        {
            throw new ArgumentException(
                $"Column '{column.Name}' has type {column.Type}, whose values are {RowValueTypes.ClrTypeOf(column.Type)?.Name ?? "not a key type"}, not {typeof(TKey).Name}",
                nameof(keyColumn));
        }

        return KeyedTable(table, row => (TKey)(row[ordinal] ?? throw NullKey(column.Name)));
    }

    /// <summary>
    /// A query's result as a C# table keyed by several columns, as <see cref="ToTable{TKey}"/>: the key is a
    /// <see cref="Row"/> of the key columns' values, in the order given.
    /// </summary>
    /// <exception cref="ArgumentException">No key column, or a name that is not a column.</exception>
    /// <exception cref="InvalidOperationException">The query belongs to another environment.</exception>
    public Table<Row, Row> ToTable(SqlTable table, params string[] keyColumns)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(keyColumns);
        Own(table);
        var ordinals = KeyOrdinals(table, keyColumns);
        var names = ordinals.Select(o => table.Planned.Columns[o].Name).ToArray();
        return KeyedTable(table, row =>
        {
            var key = new object?[ordinals.Length];
            for (var i = 0; i < ordinals.Length; i++)
            {
                key[i] = row[ordinals[i]] ?? throw NullKey(names[i]);
            }

            return new Row(key);
        });
    }

    private static int[] KeyOrdinals(SqlTable table, string[] keyColumns)
    {
        if (keyColumns.Length == 0)
        {
            throw new ArgumentException("A table needs at least one key column", nameof(keyColumns));
        }

        return keyColumns.Select(name =>
        {
            var ordinal = table.Planned.Columns.ToList().FindIndex(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            return ordinal >= 0
                ? ordinal
                : throw new ArgumentException($"The query has no column '{name}'; its columns are {string.Join(", ", table.Planned.Columns.Select(c => c.Name))}", nameof(keyColumns));
        }).ToArray();
    }

    /// <summary>The query's changelog keyed by <paramref name="key"/>, as a table (see <see cref="TableSourceExtensions"/>'s ToTable of a changelog).</summary>
    private static Table<TKey, Row> KeyedTable<TKey>(SqlTable table, Func<Row, TKey> key)
        where TKey : notnull
    {
        var keyed = table.Planned.Stream
            .Map(change => new Change<KeyValuePair<TKey, Row>>(change.Kind, new KeyValuePair<TKey, Row>(key(change.Row), change.Row)))
            .WithName("ToTable");
        return RelationPlanner.Forwarded(keyed, table.Planned.Stream).ToTable();
    }

    private static InvalidOperationException NullKey(string column) =>
        new($"Key column '{column}' of a table is NULL; a table's key columns must never be NULL");

    /// <summary>
    /// Registers <paramref name="function"/> as a scalar function SQL can call by <paramref name="name"/> (ignoring
    /// case) in this session, as Flink's <c>createTemporarySystemFunction</c>: for example
    /// <c>sql.CreateTemporarySystemFunction("count_char", (string? s, string? c) =&gt; ...)</c>. The SQL types of the
    /// parameters and the result are the declared <paramref name="parameterTypes"/> and <paramref name="resultType"/>,
    /// or else follow from the delegate's .NET types (<c>long</c> BIGINT NOT NULL, <c>long?</c> BIGINT, <c>string</c>
    /// STRING, <c>DateTime</c> TIMESTAMP(3), ...; docs/sql.md, "User-defined functions"). Arguments are implicitly cast
    /// to the parameter types; a NULL argument for a parameter of a non-nullable value type gives NULL without calling
    /// the function. The function is called on the operators' threads, possibly from several at once, so it must be
    /// thread-safe; it should be deterministic, since a restored job may call it again on the same rows.
    /// </summary>
    /// <exception cref="ArgumentException">The name is a built-in function's or already registered, a .NET type has no
    /// SQL type, or a declared type does not match the delegate.</exception>
    public void CreateTemporarySystemFunction(string name, Delegate function, SqlType? resultType = null, IReadOnlyList<SqlType>? parameterTypes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(function);
        if (!IsIdentifier(name) || Syntax.SqlKeywords.IsReserved(name))
        {
            throw new ArgumentException($"Function name '{name}' must be a letter or '_' followed by letters, digits and '_', and not a reserved word", nameof(name));
        }

        try
        {
            Catalog.AddFunction(CatalogFunction.Create(name, function, resultType, parameterTypes));
        }
        catch (SqlValidationException e)
        {
            throw new ArgumentException(e.Problem, nameof(name), e);
        }
    }

    /// <summary>
    /// Makes <paramref name="stream"/> a table named <paramref name="name"/> (Flink's <c>createTemporaryView</c> of a
    /// DataStream): one column per public property and field of <typeparamref name="T"/> whose type SQL knows
    /// (docs/sql.md, "DataStream tables"). With <paramref name="rowtimeColumn"/>, that column (a
    /// <see cref="DateTime"/> or <see cref="DateTimeOffset"/>) becomes the table's time attribute; its values should
    /// be the records' event times, as the stream's watermarks refer to those.
    /// </summary>
    /// <exception cref="ArgumentException">No usable member, an unknown rowtime column, or a name in use.</exception>
    public void CreateTemporaryView<T>(string name, DataStream<T> stream, string? rowtimeColumn = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.Environment != Environment)
        {
            throw new ArgumentException("The stream belongs to another environment", nameof(stream));
        }

        AddView(DataStreamTables.Create(name, stream, rowtimeColumn));
    }

    /// <summary>
    /// Makes a stream of changes a table named <paramref name="name"/> (Flink's <c>fromChangelogStream</c>): each
    /// row must have one value per column, in <see cref="Row"/>'s representation of the column's type. Queries over
    /// it are updating.
    /// </summary>
    /// <exception cref="ArgumentException">No columns, duplicate column names, or a name in use.</exception>
    public void CreateTemporaryView(string name, DataStream<Change<Row>> changes, IReadOnlyList<SqlColumn> columns)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(columns);
        if (changes.Environment != Environment)
        {
            throw new ArgumentException("The stream belongs to another environment", nameof(changes));
        }

        AddView(DataStreamTables.CreateChangelog(name, changes, columns));
    }

    private static bool IsIdentifier(string name) =>
        (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private void AddView(DataStreamTable view)
    {
        var name = view.Table.Name;
        try
        {
            Catalog.AddTable(view.Table);
        }
        catch (SqlValidationException e)
        {
            throw new ArgumentException(e.Problem, nameof(view), e);
        }

        _streamTables.Add(name, view);
    }

    private void Own(SqlTable table)
    {
        if (table.Owner != this)
        {
            throw new InvalidOperationException("The query was planned by another SQL environment");
        }
    }

    private RelationPlanner Planner(StreamEnvironment environment, bool planOnly = false) =>
        new(environment, new SqlConnectorContext(environment, Options.LogStore, Options.BootstrapServers) { PlanOnly = planOnly },
            environment == Environment ? _streamTables : new Dictionary<string, DataStreamTable>());

    private SqlResult Describe(DescribeStatement describe)
    {
        var table = Catalog.TryGetTable(SqlCatalog.SimpleName(describe.Name), out var t) ? t : null;
        var rows = Catalog.Describe(describe).Select(c => new Row(
            c.Name,
            c.Type.WithNullable(true).ToString(),
            c.Type.Nullable,
            c.IsPrimaryKey ? $"PRI({string.Join(", ", table!.PrimaryKey)})" : null,
            c.Kind switch
            {
                CatalogColumnKind.Computed => $"AS {c.Expression}",
                CatalogColumnKind.Metadata => $"METADATA FROM '{c.MetadataKey ?? c.Name}'{(c.IsVirtual ? " VIRTUAL" : string.Empty)}",
                _ => null,
            },
            c.Watermark));
        return SqlResult.Fixed(
        [
            new SqlColumn("name", SqlType.String.WithNullable(false)),
            new SqlColumn("type", SqlType.String.WithNullable(false)),
            new SqlColumn("null", SqlType.Boolean.WithNullable(false)),
            new SqlColumn("key", SqlType.String),
            new SqlColumn("extras", SqlType.String),
            new SqlColumn("watermark", SqlType.String),
        ], rows);
    }

    private string Explain(SqlStatement statement)
    {
        // Planning adds operators to an environment; EXPLAIN plans into a throwaway one that never runs.
        var scratch = StreamEnvironment.Create(Environment.Options);
        var planner = Planner(scratch, planOnly: true);
        var bound = SqlBinder.Bind(statement, Catalog);
        if (bound is BoundQueryStatement query)
        {
            return "== Physical Plan ==\n" + planner.Plan(query.Query).Plan.Render();
        }

        return "== Physical Plan ==\n" + string.Concat(PlanInserts(bound, planner).Select(p => p.Render()));
    }

    private static List<PlanNode> PlanInserts(BoundStatement bound, RelationPlanner planner) => bound switch
    {
        BoundInsert insert => [planner.PlanInsert(insert)],
        BoundStatementSet set => set.Inserts.Select(planner.PlanInsert).ToList(),
        _ => throw new SqlValidationException("Expected INSERT INTO ... or EXECUTE STATEMENT SET", bound.Span),
    };

    private async Task<SqlResult> RunQueryAsync(QueryStatement query, CancellationToken cancellationToken)
    {
        var bound = (BoundQueryStatement)SqlBinder.Bind(query, Catalog);
        var environment = JobEnvironment();
        var planned = Planner(environment).Plan(bound.Query);
        var sink = new ResultSink();
        planned.Stream.SinkTo(sink, "Collect").SetParallelism(1);
        var job = await environment.ExecuteAsync(JobName(query), cancellationToken).ConfigureAwait(false);
        _ = job.Completion.ContinueWith(t => sink.Complete(t.Exception?.GetBaseException()), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return SqlResult.Query(
            planned.Columns.Select(c => new SqlColumn(c.Name, c.Type)).ToArray(),
            planned.Changelog,
            job,
            sink.Reader,
            async () =>
            {
                sink.Abandon();
                if (!job.Completion.IsCompleted)
                {
                    await job.CancelAsync().ConfigureAwait(false);
                }

                if (job.Completion.IsCompleted)
                {
                    sink.Dispose();
                }
            });
    }

    private async Task<SqlResult> RunInsertsAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        var bound = SqlBinder.Bind(statement, Catalog);
        var environment = JobEnvironment();
        PlanInserts(bound, Planner(environment));
        var job = await environment.ExecuteAsync(JobName(statement), cancellationToken).ConfigureAwait(false);
        return SqlResult.Submitted(job);
    }

    private StreamEnvironment JobEnvironment() => StreamEnvironment.Create(SessionSettings.Apply(Environment.Options, _settings));

    private string JobName(SqlStatement statement) =>
        _settings.TryGetValue(SessionSettings.PipelineName, out var name) ? name : $"SQL: {SqlPrinter.Print(statement)}";
}
