using Freshet.Sql.Binding;
using Freshet.Sql.Catalog;
using Freshet.Sql.Parsing;
using Freshet.Sql.Runtime;

namespace Freshet.Sql.Tests.Runtime;

/// <summary>
/// Binds real SQL against a table <c>t</c> with a column of every type, and evaluates the bound expressions over rows
/// of <c>t</c>: <see cref="Sample"/> (a value in each column) or <see cref="Nulls"/> (NULL in each column).
/// </summary>
internal static class SqlFixture
{
    public const string Table = """
        CREATE TABLE t (
          i INT, b BIGINT, s STRING, d DOUBLE, dec DECIMAL(10, 2), ts TIMESTAMP(3), ltz TIMESTAMP_LTZ(3), dt DATE, tm TIME,
          flag BOOLEAN, arr ARRAY<INT>, m MAP<STRING, INT>, r ROW<x INT, y STRING>, ti TINYINT, si SMALLINT, f FLOAT, bs BYTES,
          g STRING, n INT, WATERMARK FOR ts AS ts
        ) WITH ('connector' = 'kafka')
        """;

    public static readonly DateTime SampleTimestamp = new(2024, 3, 15, 10, 20, 30, 123);

    /// <summary>i=7, b=10^10, s='Hello', d=2.5, dec=12.34, ts=2024-03-15 10:20:30.123 (ltz the same instant in UTC),
    /// dt=2024-03-15, tm=10:20:30, flag=TRUE, arr=[1,2,3], m={a=1}, r=(5, 'five'), ti=100, si=1000, f=1.5, bs=x'4142',
    /// g='a%b', n=NULL.</summary>
    public static Row Sample => new(
        7, 10_000_000_000L, "Hello", 2.5d, 12.34m, SampleTimestamp, new DateTimeOffset(SampleTimestamp, TimeSpan.Zero),
        new DateOnly(2024, 3, 15), new TimeOnly(10, 20, 30), true, new object?[] { 1, 2, 3 },
        new Dictionary<object, object?>(SqlValues.EqualityComparer) { ["a"] = 1 }, new Row(5, "five"), (sbyte)100, (short)1000, 1.5f,
        new byte[] { 0x41, 0x42 }, "a%b", null);

    public static Row Nulls => new(new object?[19]);

    public static SqlCatalog Catalog()
    {
        var catalog = new SqlCatalog();
        catalog.Apply(SqlParser.ParseStatement(Table));
        return catalog;
    }

    /// <summary>The bound SELECT of <paramref name="sql"/>, a query over <c>t</c>.</summary>
    public static BoundSelect Select(string sql) =>
        Assert.IsType<BoundSelect>(Assert.IsType<BoundQueryStatement>(SqlBinder.Bind(SqlParser.ParseStatement(sql), Catalog())).Query);

    /// <summary>The bound expression <paramref name="expression"/> of <c>SELECT expression FROM t</c>.</summary>
    public static BoundExpression Bind(string expression) => Select($"SELECT {expression} FROM t").Projections[0];

    public static object? Eval(string expression, Row? row = null, TimeProvider? clock = null) =>
        ExpressionCompiler.Compile(Bind(expression), clock ?? TimeProvider.System)(row ?? Sample);
}
