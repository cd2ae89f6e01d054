using System.Linq.Expressions;
using System.Reflection;
using Freshet.Sql.Catalog;
using Freshet.Sql.Typing;
using Freshet.Streaming;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Planning;

/// <summary>
/// Turns a <c>DataStream&lt;T&gt;</c> into a table (<c>SqlEnvironment.CreateTemporaryView</c>): each public
/// property and field of <c>T</c> whose .NET type has a SQL type becomes a column, in declaration order; a scalar
/// <c>T</c> becomes one column <c>f0</c>. The mapping is the reverse of <see cref="Row"/>'s value representation
/// (<c>int</c> → INT, <c>DateTime</c> → TIMESTAMP(3), ...); non-nullable value types are NOT NULL. Pure.
/// </summary>
internal static class DataStreamTables
{
    private static readonly Dictionary<Type, SqlType> Types = new()
    {
        [typeof(bool)] = SqlType.Boolean,
        [typeof(sbyte)] = SqlType.TinyInt,
        [typeof(short)] = SqlType.SmallInt,
        [typeof(int)] = SqlType.Int,
        [typeof(long)] = SqlType.BigInt,
        [typeof(float)] = SqlType.Float,
        [typeof(double)] = SqlType.Double,
        [typeof(decimal)] = SqlType.Decimal(38, 18),
        [typeof(string)] = SqlType.String,
        [typeof(byte[])] = SqlType.Bytes,
        [typeof(DateOnly)] = SqlType.Date,
        [typeof(TimeOnly)] = SqlType.Time(3),
        [typeof(DateTime)] = SqlType.Timestamp(3),
        [typeof(DateTimeOffset)] = SqlType.TimestampLtz(3),
        [typeof(TimeSpan)] = SqlType.IntervalDayTime,
    };

    public static DataStreamTable Create<T>(string name, DataStream<T> stream, string? rowtimeColumn)
    {
        var columns = new List<CatalogColumn>();
        var getters = new List<Func<T, object?>>();
        if (TypeOf(typeof(T)) is { } scalar)
        {
            columns.Add(new CatalogColumn("f0", scalar, CatalogColumnKind.Physical));
            getters.Add(static value => value);
        }
        else
        {
            foreach (var member in Members(typeof(T)))
            {
                var memberType = member is PropertyInfo property ? property.PropertyType : ((FieldInfo)member).FieldType;
                var type = TypeOf(memberType)
                    ?? throw new ArgumentException($"Member '{member.Name}' of {typeof(T).Name} has type {memberType.Name}, which has no SQL type (docs/sql.md, \"DataStream tables\")", nameof(stream));
                columns.Add(new CatalogColumn(member.Name, type, CatalogColumnKind.Physical));
                getters.Add(Getter<T>(member));
            }
        }

        if (columns.Count == 0)
        {
            throw new ArgumentException($"{typeof(T).Name} has no public property or field to make a column of", nameof(stream));
        }

        if (rowtimeColumn is not null)
        {
            var index = columns.FindIndex(c => c.Name == rowtimeColumn);
            if (index < 0 || columns[index].Type.Kind is not (SqlTypeKind.Timestamp or SqlTypeKind.TimestampLtz))
            {
                throw new ArgumentException($"Rowtime column '{rowtimeColumn}' must be a DateTime or DateTimeOffset member of {typeof(T).Name}", nameof(rowtimeColumn));
            }

            columns[index] = columns[index] with { Type = columns[index].Type with { TimeAttribute = TimeAttributeKind.Rowtime } };
        }

        var table = new CatalogTable(name, new(columns), new Dictionary<string, string> { [SqlCatalog.ConnectorOption] = RelationPlanner.DataStreamTableConnector })
        {
            RowtimeColumn = rowtimeColumn,
            Temporary = true,
        };
        var read = getters.ToArray();
        var rows = stream.Map(value =>
        {
            var values = new object?[read.Length];
            for (var i = 0; i < read.Length; i++)
            {
                values[i] = read[i](value);
            }

            return Change.Insert(new Row(values));
        }).WithName($"FromDataStream {name}");
        rows = RelationPlanner.Forwarded(rows, stream);
        return new DataStreamTable(table, rows);
    }

    /// <summary>A table over a stream of changes whose rows already follow <paramref name="columns"/>.</summary>
    public static DataStreamTable CreateChangelog(string name, DataStream<Change<Row>> changes, IReadOnlyList<SqlColumn> columns)
    {
        if (columns.Count == 0)
        {
            throw new ArgumentException("A table needs at least one column", nameof(columns));
        }

        if (columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != columns.Count)
        {
            throw new ArgumentException("Column names must be unique", nameof(columns));
        }

        var table = new CatalogTable(name, new(columns.Select(c => new CatalogColumn(c.Name, c.Type.WithoutTimeAttribute(), CatalogColumnKind.Physical))),
            new Dictionary<string, string> { [SqlCatalog.ConnectorOption] = RelationPlanner.DataStreamTableConnector })
        {
            Temporary = true,
            IsChangelogView = true,
        };
        var arity = columns.Count;
        var checkedChanges = changes.Map(change => change.Row.Arity == arity
            ? change
            : throw new InvalidOperationException($"A row of changelog view '{name}' has {change.Row.Arity} values, but the view has {arity} columns")).WithName($"FromChangelogStream {name}");
        checkedChanges = RelationPlanner.Forwarded(checkedChanges, changes);
        return new DataStreamTable(table, checkedChanges);
    }

    private static SqlType? TypeOf(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return Types.TryGetValue(underlying, out var inner) ? inner.WithNullable(true) : null;
        }

        return Types.TryGetValue(type, out var sql) ? sql.WithNullable(!type.IsValueType) : null;
    }

    private static IEnumerable<MemberInfo> Members(Type type) =>
        type.GetMembers(BindingFlags.Instance | BindingFlags.Public)
            .Where(m => m is PropertyInfo { CanRead: true } p && p.GetIndexParameters().Length == 0 || m is FieldInfo)
            .OrderBy(m => m.MetadataToken);

    private static Func<T, object?> Getter<T>(MemberInfo member)
    {
        var parameter = Expression.Parameter(typeof(T), "value");
        var access = Expression.MakeMemberAccess(parameter, member);
        return Expression.Lambda<Func<T, object?>>(Expression.Convert(access, typeof(object)), parameter).Compile();
    }
}
