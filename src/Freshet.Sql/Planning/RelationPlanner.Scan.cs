using Freshet.Sql.Binding;
using Freshet.Sql.Connectors;
using Freshet.Sql.Runtime;
using Freshet.Streaming.Time;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    private PlannedRelation PlanScan(BoundTableScan scan)
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

        var stream = TableConnectors.CreateSource(table, _connectors, watermarks);
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
