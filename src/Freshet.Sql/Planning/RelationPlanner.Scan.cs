using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Catalog;
using Freshet.Sql.Connectors;
using Freshet.Sql.Runtime;
using Freshet.Streaming;
using Freshet.Streaming.Time;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    /// <summary>The scans planned so far, by table and whether they compute the computed columns.</summary>
    private readonly Dictionary<(CatalogTable Table, bool ComputeColumns), PlannedRelation> _scans = [];

    /// <summary>The connector sources made so far, by table (with and without computed columns, a table has one).</summary>
    private readonly Dictionary<CatalogTable, DataStream<Change<Row>>> _sources = [];

    /// <param name="scan">The table read.</param>
    /// <param name="computeColumns">False to leave the rows as the source makes them (physical and metadata columns,
    /// <see cref="TableConnectors.SourceColumns"/>) for a Calc above that computes the computed columns it reads
    /// itself; only for tables <see cref="ComputedColumns"/> returns a scan row for.</param>
    private PlannedRelation PlanScan(BoundTableScan scan, bool computeColumns = true)
    {
        // Flink's source reuse (table.optimizer.reuse-source-enabled): every read of a table in one statement (a self
        // join, two views over one table) shares one source, so the topic is read and decoded once.
        if (!_scans.TryGetValue((scan.Table, computeColumns), out var planned))
        {
            planned = PlanSource(scan, computeColumns);
            _scans.Add((scan.Table, computeColumns), planned);
        }

        return planned;
    }

    private PlannedRelation PlanSource(BoundTableScan scan, bool computeColumns)
    {
        var table = scan.Table;
        var arguments = $"table=[{table.Name}], fields=[{string.Join(", ", table.Columns.Select(c => c.Name))}]";
        if (table.Connector == DataStreamTableConnector)
        {
            if (!_streamTables.TryGetValue(table.Name, out var streamTable))
            {
                throw new SqlValidationException(
                    $"Table '{table.Name}' is a view of a DataStream of another environment; query it with SqlQuery in the environment that made it", scan.Span);
            }

            var changelog = table.IsChangelogView ? ChangelogKind.Updating : ChangelogKind.AppendOnly;
            return new PlannedRelation(streamTable.Rows, scan.Columns, changelog, new PlanNode("DataStreamScan", arguments, PlannedRelation.ModeText(changelog), []));
        }

        TableConnectors.Validate(table);
        var scanRow = CatalogExpressions.ScanRow(table);
        var watermark = CatalogExpressions.Watermark(table, scanRow, scan.Span);
        WatermarkStrategy<Change<Row>>? watermarks = null;
        if (watermark is { } w)
        {
            var rowtime = ExpressionCompiler.Compile(w.Rowtime);
            watermarks = WatermarkStrategy.ForBoundedOutOfOrderness<Change<Row>>(w.MaxOutOfOrderness)
                .WithTimestampAssigner((change, previous) => rowtime(change.Row) is { } time ? SqlValues.ToEpochMillis(time) : previous);
            arguments += $", watermark=[{table.RowtimeColumn} - {w.MaxOutOfOrderness.TotalMilliseconds}ms]";
        }

        if (!_sources.TryGetValue(table, out var stream))
        {
            stream = TableConnectors.CreateSource(table, _connectors, watermarks);
            _sources.Add(table, stream);
        }

        if (!computeColumns)
        {
            var sourceColumns = new NodeList<BoundColumn>(TableConnectors.SourceColumns(table).Select(static c => new BoundColumn(c.Name, c.Type)));
            return new PlannedRelation(stream, sourceColumns, ChangelogKind.AppendOnly, new PlanNode("TableSourceScan", arguments, "I", []));
        }

        if (scanRow.Any(e => e is not BoundColumnReference))
        {
            var complete = ExpressionCompiler.CompileProjection(scanRow);
            stream = Forwarded(stream.Map(change => WithRow(change, complete(change.Row))).WithName($"Computed columns of {table.Name}"), stream);
        }

        if (!table.IsUpsertSource)
        {
            return new PlannedRelation(stream, scan.Columns, ChangelogKind.AppendOnly, new PlanNode("TableSourceScan", arguments, "I", []));
        }

        // An upsert source says only "this key now has this row" or "this key is gone"; normalising per key turns
        // that into the -U/+U pairs and -D of the last row that retracting operators downstream need (Flink's
        // ChangelogNormalize).
        var key = Pick(table.PrimaryKey.Select(name => table.Columns.ToList().FindIndex(c => c.Name == name)).ToArray());
        var upserts = Forwarded(stream.Map(change => new KeyValuePair<Row, Row?>(key(change.Row), change.Kind == RowKind.Delete ? null : change.Row)), stream);
        var changes = upserts.ToTable().ToChangelogStream();
        var normalised = Forwarded(changes.Map(change => new Change<Row>(change.Kind, change.Row.Value!)).WithName($"ChangelogNormalize of {table.Name}"), changes);
        var source = new PlanNode("TableSourceScan", arguments, "I,UA,D", []);
        return new PlannedRelation(normalised, scan.Columns, ChangelogKind.Updating,
            new PlanNode("ChangelogNormalize", $"key=[{string.Join(", ", table.PrimaryKey)}]", "I,UB,UA,D", [source]));
    }

    /// <summary>The connector name of tables made from a DataStream by <c>SqlEnvironment.CreateTemporaryView</c>.</summary>
    internal const string DataStreamTableConnector = "datastream";
}
