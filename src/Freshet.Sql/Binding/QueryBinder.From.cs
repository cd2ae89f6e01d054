using Freshet.Sql.Ast;
using Freshet.Sql.Catalog;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Binding;

/// <summary>FROM items: named tables, views and CTEs, subqueries, joins and window table functions.</summary>
internal sealed partial class QueryBinder
{
    private static readonly string[] WindowColumns = ["window_start", "window_end", "window_time"];

    /// <summary>Binds a FROM item to its relation and the scope entries it makes visible (offsets from 0).</summary>
    private (BoundRelation Relation, List<ScopeEntry> Entries, HashSet<string> Using) BindFrom(TableReference reference)
    {
        switch (reference)
        {
            case NamedTableReference named:
                {
                    if (named.SystemTimeAsOf is not null)
                    {
                        throw new SqlValidationException("FOR SYSTEM_TIME AS OF is only allowed on the right side of a join (a temporal join)", named.SystemTimeAsOf.Span);
                    }

                    var (relation, name) = ResolveTable(named.Name);
                    relation = Rename(relation, named.Alias?.Columns ?? new([]), named.Alias?.Name.Value ?? name, named.Span);
                    return (relation, [new ScopeEntry(named.Alias?.Name.Value ?? name, relation.Columns, 0)], Empty());
                }

            case DerivedTableReference derived:
                {
                    var relation = Bind(derived.Query);
                    relation = Rename(relation, derived.Alias?.Columns ?? new([]), derived.Alias?.Name.Value ?? "subquery", derived.Span);
                    return (relation, [new ScopeEntry(derived.Alias?.Name.Value, relation.Columns, 0)], Empty());
                }

            case TableFunctionReference function:
                {
                    BoundRelation relation = BindWindowFunction(function);
                    relation = Rename(relation, function.Alias?.Columns ?? new([]), function.Alias?.Name.Value ?? function.Function, function.Span);
                    return (relation, [new ScopeEntry(function.Alias?.Name.Value, relation.Columns, 0)], Empty());
                }

            case JoinReference join:
                return BindJoin(join);
            default:
                throw new SqlValidationException($"{reference.GetType().Name} is not supported", reference.Span);
        }
    }

    private static HashSet<string> Empty() => new(StringComparer.Ordinal);

    /// <summary>Finds a CTE, view or table by name, in that order, and binds it.</summary>
    private (BoundRelation Relation, string Name) ResolveTable(ObjectName objectName)
    {
        var name = SqlCatalog.SimpleName(objectName);
        if (_ctes.TryGetValue(name, out var cte))
        {
            return (cte with { Span = objectName.Span }, name);
        }

        if (_catalog.TryGetView(name, out var view))
        {
            if (_viewDepth >= MaxViewDepth)
            {
                throw new SqlValidationException($"View '{name}' refers to itself or nests more than {MaxViewDepth} views deep", objectName.Span);
            }

            // A view is bound where it is used, against the catalog as it is now, without the user's CTEs.
            var viewBinder = new QueryBinder(_catalog, new Dictionary<string, BoundRelation>(StringComparer.Ordinal), _viewDepth + 1);
            var relation = viewBinder.Bind(view.Query);
            if (view.ColumnNames.Count > 0)
            {
                relation = relation with { Columns = new(relation.Columns.Select((c, i) => c with { Name = view.ColumnNames[i] })) };
            }

            return (relation, name);
        }

        if (_catalog.TryGetTable(name, out var table))
        {
            var columns = table.Columns.Select(c => new BoundColumn(c.Name, c.Type));
            var changelog = table.IsUpsertSource || table.IsChangelogView ? ChangelogKind.Updating : ChangelogKind.AppendOnly;
            return (new BoundTableScan(table) { Columns = new(columns), Changelog = changelog, Span = objectName.Span }, name);
        }

        var candidates = _ctes.Keys.Concat(_catalog.ShowTables());
        throw new SqlValidationException($"Table '{name}' not found{NameSuggestions.Hint(name, candidates)}", objectName.Span);
    }

    private (BoundRelation, List<ScopeEntry>, HashSet<string>) BindJoin(JoinReference join)
    {
        var (left, leftEntries, leftUsing) = BindFrom(join.Left);
        var temporal = join.Right as NamedTableReference is { SystemTimeAsOf: not null } versioned ? versioned : null;
        var (right, rightEntries, rightUsing) = BindFrom(temporal is null ? join.Right : temporal with { SystemTimeAsOf = null });
        var asOf = temporal is null ? null : BindSystemTimeAsOf(join, temporal.SystemTimeAsOf!, left, leftEntries, leftUsing);
        var entries = new List<ScopeEntry>(leftEntries);
        foreach (var entry in rightEntries)
        {
            if (entry.Alias is not null && entries.Any(e => e.Alias == entry.Alias))
            {
                throw new SqlValidationException($"Table name '{entry.Alias}' is used twice in FROM; give one an alias", join.Right.Span);
            }

            entries.Add(entry with { Offset = entry.Offset + left.Columns.Count });
        }

        var usingNames = new HashSet<string>(leftUsing, StringComparer.Ordinal);
        usingNames.UnionWith(rightUsing);
        var scope = new Scope(entries, usingNames);
        BoundExpression? condition = null;
        if (join.Condition is not null)
        {
            condition = new ExpressionBinder(scope, this, Clause.On).BindBoolean(join.Condition, "A join condition");
        }
        else if (join.Using.Count > 0)
        {
            CheckUnique(join.Using);
            var leftScope = new Scope(leftEntries, leftUsing);
            var rightScope = new Scope(rightEntries.Select(e => e with { Offset = e.Offset + left.Columns.Count }).ToList(), rightUsing);
            foreach (var name in join.Using)
            {
                var l = leftScope.Resolve(name) ?? throw new SqlValidationException($"USING column '{name.Value}' not found in the left side of the join", name.Span);
                var r = rightScope.Resolve(name) ?? throw new SqlValidationException($"USING column '{name.Value}' not found in the right side of the join", name.Span);
                var lRef = new BoundColumnReference(l.Ordinal, l.Column.Name) { Type = l.Column.Type, Span = name.Span };
                var rRef = new BoundColumnReference(r.Ordinal, r.Column.Name) { Type = r.Column.Type, Span = name.Span };
                if (!SqlTypeRules.Comparable(lRef.Type, rRef.Type))
                {
                    throw new SqlValidationException($"USING column '{name.Value}' has types {ExpressionBinder.Describe(lRef.Type)} and {ExpressionBinder.Describe(rRef.Type)}, which cannot be compared", name.Span);
                }

                var equal = new BoundCall("=", BoundFunctionKind.Scalar, new([lRef, rRef])) { Type = SqlType.Boolean, Span = name.Span };
                condition = condition is null ? equal : new BoundCall("AND", BoundFunctionKind.Scalar, new([condition, equal])) { Type = SqlType.Boolean, Span = name.Span };
                usingNames.Add(name.Value);
            }
        }
        else if (join.Kind is not (JoinKind.Cross or JoinKind.Comma))
        {
            throw new SqlValidationException($"{join.Kind.ToString().ToUpperInvariant()} JOIN needs ON or USING", join.Span);
        }

        // Joins emit rows behind the watermark their consumers have already seen (a pair or a padded row found when
        // the other side's row arrives or the watermark passes), so time attributes become ordinary timestamps.
        // Flink keeps them for interval and temporal joins by holding the output watermark back; Freshet does not
        // hold it back. The side an outer join pads with NULLs becomes nullable.
        var leftNullable = join.Kind is JoinKind.Right or JoinKind.Full;
        var rightNullable = join.Kind is JoinKind.Left or JoinKind.Full;
        var columns = left.Columns.Select(c => c with { Type = Widen(c.Type, leftNullable) })
            .Concat(right.Columns.Select(c => c with { Type = Widen(c.Type, rightNullable) }));
        var outer = join.Kind is JoinKind.Left or JoinKind.Right or JoinKind.Full;
        var bothAppendOnly = left.Changelog == ChangelogKind.AppendOnly && right.Changelog == ChangelogKind.AppendOnly;
        var changelog = asOf is not null ? left.Changelog
            : (!outer && bothAppendOnly) || TimeJoinPattern.Detect(left, right, condition) is not null ? ChangelogKind.AppendOnly
            : ChangelogKind.Updating;
        var kind = join.Kind == JoinKind.Comma ? JoinKind.Cross : join.Kind;
        var relation = new BoundJoin(kind, left, right, condition) { Columns = new(columns), Changelog = changelog, Span = join.Span, SystemTimeAsOf = asOf };

        // Scope entries carry the join's output types so that names above the join see the widened types.
        var adjusted = entries.Select(e => e with { Columns = relation.Columns.Skip(e.Offset).Take(e.Columns.Count).ToArray() }).ToList();
        return (relation, adjusted, usingNames);
    }

    /// <summary>
    /// The <c>FOR SYSTEM_TIME AS OF</c> of a temporal join: a time attribute of the left side (Flink's rule), bound
    /// over the left row. Temporal joins are INNER or LEFT joins with an ON condition.
    /// </summary>
    private BoundColumnReference BindSystemTimeAsOf(JoinReference join, SqlExpression asOf, BoundRelation left, List<ScopeEntry> leftEntries, HashSet<string> leftUsing)
    {
        if (join.Kind is not (JoinKind.Inner or JoinKind.Left))
        {
            throw new SqlValidationException($"A temporal join (FOR SYSTEM_TIME AS OF) must be an INNER or LEFT JOIN, not {join.Kind.ToString().ToUpperInvariant()}", join.Span);
        }

        if (join.Condition is null)
        {
            throw new SqlValidationException("A temporal join (FOR SYSTEM_TIME AS OF) needs an ON condition with an equality on the versioned table's primary key", join.Span);
        }

        var bound = new ExpressionBinder(new Scope(leftEntries, leftUsing), this, Clause.On).Bind(asOf);
        if (bound is not BoundColumnReference column || left.Columns[column.Ordinal].Type.TimeAttribute == TimeAttributeKind.None)
        {
            throw new SqlValidationException(
                "FOR SYSTEM_TIME AS OF must name a time attribute of the left table (a rowtime declared by WATERMARK, or PROCTIME())", asOf.Span);
        }

        return column;
    }

    private static SqlType Widen(SqlType type, bool nullable) =>
        type.WithoutTimeAttribute().WithNullable(type.Nullable || nullable);

    private BoundWindowTableFunction BindWindowFunction(TableFunctionReference function)
    {
        var name = function.Function.ToUpperInvariant();
        var arguments = function.Arguments;
        foreach (var argument in arguments)
        {
            if (argument is NamedArgument named)
            {
                throw new SqlValidationException($"Named arguments to {name} ('{named.Name.Value} => ...') are not supported; pass them by position", argument.Span);
            }
        }

        var (minIntervals, maxIntervals, shape) = name switch
        {
            "TUMBLE" => (1, 2, "TUMBLE(TABLE t, DESCRIPTOR(ts), size [, offset])"),
            "HOP" => (2, 3, "HOP(TABLE t, DESCRIPTOR(ts), slide, size [, offset])"),
            "CUMULATE" => (2, 3, "CUMULATE(TABLE t, DESCRIPTOR(ts), step, size [, offset])"),
            _ => (1, 1, "SESSION(TABLE t [PARTITION BY k], DESCRIPTOR(ts), gap)"),
        };
        if (arguments.Count < 2 + minIntervals || arguments.Count > 2 + maxIntervals
            || arguments[0] is not TableArgument table || arguments[1] is not DescriptorArgument descriptor)
        {
            throw new SqlValidationException($"{name} takes {shape}", function.Span);
        }

        var (input, inputName) = ResolveTable(table.Table);
        var inputScope = new Scope([new ScopeEntry(inputName, input.Columns, 0)], Empty());
        if (table.PartitionBy.Count > 0 && name != "SESSION")
        {
            throw new SqlValidationException($"PARTITION BY is only allowed in SESSION windows, not in {name}", table.Span);
        }

        var argumentBinder = new ExpressionBinder(inputScope, this, Clause.WindowArgument);
        var partition = table.PartitionBy.Select(argumentBinder.Bind).ToArray();
        if (descriptor.Columns.Count != 1)
        {
            throw new SqlValidationException($"DESCRIPTOR of {name} must name exactly one time column", descriptor.Span);
        }

        var timeName = descriptor.Columns[0];
        var time = inputScope.Resolve(timeName) ?? throw inputScope.NotFound(timeName);
        if (time.Column.Type.TimeAttribute == TimeAttributeKind.None)
        {
            throw new SqlValidationException(
                $"The time column '{timeName.Value}' of {name} must be a time attribute (declared by WATERMARK, or PROCTIME()), but is {time.Column.Type}",
                timeName.Span);
        }

        var intervals = new List<BoundExpression>();
        for (var i = 2; i < arguments.Count; i++)
        {
            var bound = argumentBinder.Bind(arguments[i]);
            if (bound is not BoundLiteral || bound.Type.Kind != SqlTypeKind.IntervalDayTime)
            {
                throw new SqlValidationException($"Argument {i + 1} of {name} must be a day-time INTERVAL literal, but is {ExpressionBinder.Describe(bound.Type)}", arguments[i].Span);
            }

            intervals.Add(bound);
        }

        foreach (var reserved in WindowColumns)
        {
            if (input.Columns.Any(c => c.Name == reserved))
            {
                throw new SqlValidationException($"The input of {name} already has a column '{reserved}'", table.Span);
            }
        }

        // window_time carries the input's time attribute, so a window aggregation's output can be windowed again.
        var windowTime = time.Column.Type.TimeAttribute == TimeAttributeKind.Rowtime
            ? time.Column.Type.WithNullable(false)
            : SqlType.TimestampLtz(3).WithNullable(false) with { TimeAttribute = TimeAttributeKind.Proctime };
        var columns = input.Columns.Concat(
        [
            new BoundColumn("window_start", SqlType.Timestamp(3).WithNullable(false)),
            new BoundColumn("window_end", SqlType.Timestamp(3).WithNullable(false)),
            new BoundColumn("window_time", windowTime),
        ]);
        return new BoundWindowTableFunction(name, input, time.Ordinal, new(intervals), new(partition))
        {
            Columns = new(columns),
            Changelog = input.Changelog,
            Span = function.Span,
        };
    }
}
