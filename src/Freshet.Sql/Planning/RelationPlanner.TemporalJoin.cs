using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Connectors;
using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;
using Freshet.Streaming;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

internal sealed partial class RelationPlanner
{
    // FROM l JOIN r FOR SYSTEM_TIME AS OF l.t ON ...: each left row joins the right side's version valid at its time.
    // At a rowtime, r must be a versioned table (a primary key covered by the ON equalities, and a rowtime): its
    // changes become a Table keyed by the primary key and the engine's event-time stream-table join (JoinTable with
    // TemporalJoinTime.EventTime) emits each left row once the watermark passes its time. At a proctime, each left row
    // joins the right rows present when it arrives (ProcessingTimeTemporalJoinFunction). Both are append-only.
    private PlannedRelation PlanTemporalJoin(BoundJoin join)
    {
        if (join.Right is BoundTableScan { Table: var table } && FileLookupTable.SpecOf(table) is { } files
            && join.Left.Columns[join.SystemTimeAsOf!.Ordinal].Type.TimeAttribute == TimeAttributeKind.Proctime)
        {
            return PlanFileLookupJoin(join, files);
        }

        var left = Plan(join.Left);
        var right = Plan(join.Right);
        if (left.Changelog != ChangelogKind.AppendOnly)
        {
            throw new SqlValidationException("A temporal join over an updating left input does not run yet; its left side must be append-only", join.Span);
        }

        var leftWidth = left.Columns.Count;
        var rightWidth = right.Columns.Count;
        var (leftKeys, rightKeys, residual) = SplitCondition(join.Condition, leftWidth);
        if (leftKeys.Count == 0)
        {
            throw new SqlValidationException("A temporal join needs an equality between the left table and the versioned table in its ON condition", join.Span);
        }

        var asOf = join.SystemTimeAsOf!;
        var eventTime = join.Left.Columns[asOf.Ordinal].Type.TimeAttribute == TimeAttributeKind.Rowtime;
        var combined = left.Columns.Concat(right.Columns).ToArray();
        var padLeft = join.Kind == JoinKind.Left;
        Row Combine(Row? l, Row? r) => Concat(l ?? Nulls(leftWidth), r ?? Nulls(rightWidth));
        DataStream<Change<Row>> stream;
        if (eventTime)
        {
            var primaryKey = PrimaryKeyOf(join.Right) ?? throw new SqlValidationException(
                "The right side of an event-time temporal join must be a versioned table: a table with a PRIMARY KEY and a WATERMARK (an upsert source)", join.Right.Span);
            if (!join.Right.Columns.Any(c => c.Type.TimeAttribute == TimeAttributeKind.Rowtime))
            {
                throw new SqlValidationException("The right side of an event-time temporal join must be a versioned table: it has no rowtime attribute (declare a WATERMARK)", join.Right.Span);
            }

            // The table is keyed by its primary key, so each primary key column must be equated to a left expression;
            // the other equalities are checked on the pair.
            var versionKeys = new List<BoundExpression>();
            foreach (var ordinal in primaryKey)
            {
                var index = rightKeys.FindIndex(k => k is BoundColumnReference c && c.Ordinal == ordinal);
                if (index < 0)
                {
                    throw new SqlValidationException(
                        $"The versioned table's primary key column '{join.Right.Columns[ordinal].Name}' must be in an equality of the temporal join's ON condition", join.Span);
                }

                versionKeys.Add(leftKeys[index]);
            }

            for (var i = 0; i < leftKeys.Count; i++)
            {
                if (!versionKeys.Contains(leftKeys[i]))
                {
                    residual.Add(new BoundCall("=", BoundFunctionKind.Scalar, new([leftKeys[i], Shift(rightKeys[i], leftWidth)])) { Type = SqlType.Boolean });
                }
            }

            leftKeys = versionKeys;
            rightKeys = primaryKey.Select(o => (BoundExpression)new BoundColumnReference(o, join.Right.Columns[o].Name) { Type = join.Right.Columns[o].Type }).ToList();
            var condition = PairCondition(residual);
            var leftKey = ExpressionCompiler.CompileProjection(leftKeys);
            var tableKey = Pick(primaryKey);
            var upserts = Forwarded(right.Stream.FlatMap<KeyValuePair<Row, Row?>>((change, output) =>
            {
                if (change.Kind != RowKind.UpdateBefore)
                {
                    output.Collect(new KeyValuePair<Row, Row?>(tableKey(change.Row), change.Kind == RowKind.Delete ? null : change.Row));
                }
            }).WithName("Versions"), right.Stream);
            var versions = upserts.ToTable();
            var options = new StreamTableJoinOptions { Time = TemporalJoinTime.EventTime };
            DataStream<Row?> joined = padLeft
                ? left.Stream.LeftJoinTable<Row, Row, Row?>(versions, change => leftKey(change.Row),
                    (change, row) => row is not null && (condition is null || condition(change.Row, row)) ? Combine(change.Row, row) : Combine(change.Row, null), options)
                : left.Stream.JoinTable<Row, Row, Row?>(versions, change => leftKey(change.Row),
                    (change, row) => condition is null || condition(change.Row, row) ? Combine(change.Row, row) : null, options);
            stream = Forwarded(joined.FlatMap<Change<Row>>((row, output) =>
            {
                if (row is not null)
                {
                    output.Collect(Change.Insert(row));
                }
            }).WithName("TemporalJoin"), joined);
        }
        else
        {
            var leftKey = ExpressionCompiler.CompileProjection(leftKeys);
            var rightKey = ExpressionCompiler.CompileProjection(rightKeys);
            stream = left.Stream.Connect(right.Stream)
                .KeyBy(change => leftKey(change.Row), change => rightKey(change.Row))
                .Process(new ProcessingTimeTemporalJoinFunction(padLeft, PairCondition(residual), Combine))
                .WithName("TemporalJoin");
        }

        var type = padLeft ? ChangelogJoinType.Left : ChangelogJoinType.Inner;
        var arguments = $"joinType=[{type}], time=[{(eventTime ? "rowtime" : "proctime")}: {left.Columns[asOf.Ordinal].Name}], "
            + $"leftKeys=[{BoundExpressionText.Format(leftKeys, left.Columns)}], rightKeys=[{BoundExpressionText.Format(rightKeys, right.Columns)}]"
            + (residual.Count == 0 ? string.Empty : $", where=[{BoundExpressionText.Format(residual, combined)}]");
        return new PlannedRelation(stream, join.Columns, ChangelogKind.AppendOnly, new PlanNode("TemporalJoin", arguments, "I", [left.Plan, right.Plan]));
    }

    // A processing-time temporal join with a filesystem table is a lookup join, as Flink runs it (the filesystem
    // connector is a lookup source): the file is not a stream but read whole when first looked up, so every left row
    // sees the table's full content however early it arrives. Stateless: a flat-map at the left input's parallelism.
    private PlannedRelation PlanFileLookupJoin(BoundJoin join, FileSystemTableSpec files)
    {
        var left = Plan(join.Left);
        var leftWidth = left.Columns.Count;
        var rightWidth = join.Right.Columns.Count;
        if (left.Changelog != ChangelogKind.AppendOnly)
        {
            throw new SqlValidationException("A temporal join over an updating left input does not run yet; its left side must be append-only", join.Span);
        }

        var (leftKeys, rightKeys, residual) = SplitCondition(join.Condition, leftWidth);
        if (leftKeys.Count == 0)
        {
            throw new SqlValidationException("A lookup join needs an equality between the left table and the looked-up table in its ON condition", join.Span);
        }

        var leftKey = ExpressionCompiler.CompileProjection(leftKeys);
        var condition = PairCondition(residual);
        var lookup = new FileLookupTable(files, ExpressionCompiler.CompileProjection(rightKeys));
        var padLeft = join.Kind == JoinKind.Left;
        var stream = Forwarded(left.Stream.FlatMap<Change<Row>>((change, output) =>
        {
            var matched = false;
            foreach (var row in lookup.Lookup(leftKey(change.Row)))
            {
                if (condition is null || condition(change.Row, row))
                {
                    matched = true;
                    output.Collect(Change.Insert(Concat(change.Row, row)));
                }
            }

            if (!matched && padLeft)
            {
                output.Collect(Change.Insert(Concat(change.Row, Nulls(rightWidth))));
            }
        }).WithName("LookupJoin"), left.Stream);

        var type = padLeft ? ChangelogJoinType.Left : ChangelogJoinType.Inner;
        var combined = left.Columns.Concat(join.Right.Columns).ToArray();
        var arguments = $"table=[{((BoundTableScan)join.Right).Table.Name}], joinType=[{type}], path=[{files.Path}], "
            + $"leftKeys=[{BoundExpressionText.Format(leftKeys, left.Columns)}], rightKeys=[{BoundExpressionText.Format(rightKeys, join.Right.Columns)}]"
            + (residual.Count == 0 ? string.Empty : $", where=[{BoundExpressionText.Format(residual, combined)}]");
        return new PlannedRelation(stream, join.Columns, ChangelogKind.AppendOnly, new PlanNode("LookupJoin", arguments, "I", [left.Plan]));
    }

    /// <summary>Ordinals of the primary key of a table scan, or of a projection or filter of one that keeps every key
    /// column; null when the relation has none.</summary>
    private static int[]? PrimaryKeyOf(BoundRelation relation)
    {
        switch (relation)
        {
            case BoundTableScan { Table.PrimaryKey.Count: > 0 } scan:
                {
                    var ordinals = scan.Table.PrimaryKey.Select(name => scan.Table.Columns.ToList().FindIndex(c => c.Name == name)).ToArray();
                    return ordinals.All(o => o >= 0) ? ordinals : null;
                }

            case BoundSelect { IsAggregate: false, Distinct: false, Input: { } input } select when PrimaryKeyOf(input) is { } inner:
                {
                    var mapped = inner.Select(o => select.Projections.ToList().FindIndex(p => p is BoundColumnReference c && c.Ordinal == o)).ToArray();
                    return mapped.All(o => o >= 0) ? mapped : null;
                }

            default:
                return null;
        }
    }
}
