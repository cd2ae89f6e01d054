using Freshet.Sql.Runtime;
using Freshet.Sql.Typing;
using static Freshet.Sql.Tests.Runtime.SqlFixture;

namespace Freshet.Sql.Tests.Runtime;

/// <summary>CAST and TRY_CAST between the supported types: valid conversions, failures, and TRY_CAST's NULL.</summary>
public sealed class CastTests
{
    public static TheoryData<string, object?> Valid() => new()
    {
        // From strings.
        { "CAST(' 42 ' AS INT)", 42 },
        { "CAST('-7' AS BIGINT)", -7L },
        { "CAST('12' AS TINYINT)", (sbyte)12 },
        { "CAST('300' AS SMALLINT)", (short)300 },
        { "CAST('2.5' AS DOUBLE)", 2.5d },
        { "CAST('1e3' AS FLOAT)", 1000f },
        { "CAST('3.14159' AS DECIMAL(5, 2))", 3.14m },
        { "CAST('3.145' AS DECIMAL(5, 2))", 3.15m },
        { "CAST('true' AS BOOLEAN)", true },
        { "CAST('N' AS BOOLEAN)", false },
        { "CAST('2024-03-15' AS DATE)", new DateOnly(2024, 3, 15) },
        { "CAST('10:20:30' AS TIME)", new TimeOnly(10, 20, 30) },
        { "CAST('2024-03-15 10:20:30.123456' AS TIMESTAMP(3))", new DateTime(2024, 3, 15, 10, 20, 30, 123) },
        { "CAST('2024-03-15T10:20:30' AS TIMESTAMP)", new DateTime(2024, 3, 15, 10, 20, 30) },
        { "CAST('2024-03-15' AS TIMESTAMP)", new DateTime(2024, 3, 15) },
        { "CAST('2024-03-15 10:20:30' AS TIMESTAMP_LTZ(3))", new DateTimeOffset(2024, 3, 15, 10, 20, 30, TimeSpan.Zero) },
        { "CAST('AB' AS BYTES)", new byte[] { 0x41, 0x42 } },

        // To strings.
        { "CAST(i AS STRING)", "7" },
        { "CAST(dec AS STRING)", "12.34" },
        { "CAST(d AS STRING)", "2.5" },
        { "CAST(1e0 AS STRING)", "1.0" },
        { "CAST(1e7 AS STRING)", "1.0E7" },
        { "CAST(1.5e-5 AS STRING)", "1.5E-5" },
        { "CAST(123456.0e0 AS STRING)", "123456.0" },
        { "CAST(f AS STRING)", "1.5" },
        { "CAST(flag AS STRING)", "TRUE" },
        { "CAST(dt AS STRING)", "2024-03-15" },
        { "CAST(tm AS STRING)", "10:20:30" },
        { "CAST(ts AS STRING)", "2024-03-15 10:20:30.123" },
        { "CAST(ltz AS STRING)", "2024-03-15 10:20:30.123" },
        { "CAST(bs AS STRING)", "AB" },
        { "CAST(INTERVAL '90' MINUTE AS STRING)", "+0 01:30:00.000" },
        { "CAST(INTERVAL '14' MONTH AS STRING)", "+1-02" },
        { "CAST(s AS CHAR(7))", "Hello  " },
        { "CAST(s AS VARCHAR(3))", "Hel" },

        // Numbers.
        { "CAST(i AS BIGINT)", 7L },
        { "CAST(b AS INT)", 1_410_065_408 },
        { "CAST(300 AS TINYINT)", (sbyte)44 },
        { "CAST(d AS INT)", 2 },
        { "CAST(-2.9e0 AS INT)", -2 },
        { "CAST(1e20 AS INT)", int.MaxValue },
        { "CAST(dec AS INT)", 12 },
        { "CAST(i AS DECIMAL(5, 2))", 7.00m },
        { "CAST(d AS DECIMAL(4, 1))", 2.5m },
        { "CAST(dec AS DECIMAL(10, 1))", 12.3m },
        { "CAST(dec AS DOUBLE)", 12.34d },
        { "CAST(i AS FLOAT)", 7f },
        { "CAST(ti AS INT)", 100 },
        { "CAST(flag AS INT)", 1 },
        { "CAST(0 AS BOOLEAN)", false },
        { "CAST(d AS BOOLEAN)", true },
        { "CAST(INTERVAL '2' SECOND AS BIGINT)", 2000L },
        { "CAST(INTERVAL '2' YEAR AS INT)", 24 },

        // Dates and times.
        { "CAST(ts AS DATE)", new DateOnly(2024, 3, 15) },
        { "CAST(ts AS TIME)", new TimeOnly(10, 20, 30) },
        { "CAST(dt AS TIMESTAMP(3))", new DateTime(2024, 3, 15) },
        { "CAST(ts AS TIMESTAMP(0))", new DateTime(2024, 3, 15, 10, 20, 30) },
        { "CAST(ts AS TIMESTAMP_LTZ(3))", new DateTimeOffset(SampleTimestamp, TimeSpan.Zero) },
        { "CAST(ltz AS TIMESTAMP(3))", SampleTimestamp },
        { "CAST(ltz AS DATE)", new DateOnly(2024, 3, 15) },
        { "CAST(dt AS TIMESTAMP_LTZ(3))", new DateTimeOffset(2024, 3, 15, 0, 0, 0, TimeSpan.Zero) },

        // Composites.
        { "CAST(arr AS ARRAY<BIGINT>)", new object?[] { 1L, 2L, 3L } },
        { "CAST(r AS ROW<a BIGINT, b STRING>)", new Row(5L, "five") },
        { "CAST(NULL AS INT)", null },
        { "CAST(n AS STRING)", null },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Cast_ValidValue_Converts(string expression, object? expected)
    {
        var actual = Eval(expression);
        Assert.True(Row.ValueEquals(expected, actual), $"{expression}: expected {new Row([expected])} but got {new Row([actual])}");
        Assert.Equal(expected?.GetType(), actual?.GetType());
    }

    [Theory]
    [InlineData("CAST(s AS INT)", "CAST of 'Hello' to INT failed")]
    [InlineData("CAST('1.5' AS INT)", "CAST of '1.5' to INT failed")]
    [InlineData("CAST('99999999999' AS INT)", "CAST of '99999999999' to INT failed")]
    [InlineData("CAST('maybe' AS BOOLEAN)", "CAST of 'maybe' to BOOLEAN failed")]
    [InlineData("CAST('2024-13-01' AS DATE)", "CAST of '2024-13-01' to DATE failed")]
    [InlineData("CAST('noon' AS TIMESTAMP(3))", "CAST of 'noon' to TIMESTAMP(3) failed")]
    [InlineData("CAST(dec AS DECIMAL(3, 2))", "CAST of 12.34 to DECIMAL(3, 2) failed")]
    [InlineData("CAST(1e300 AS DECIMAL(10, 2))", "to DECIMAL(10, 2) failed")]
    public void Cast_InvalidValue_ThrowsNamingFunctionAndValue(string expression, string message)
    {
        var bound = Bind(expression);
        var error = Assert.Throws<SqlRuntimeException>(() => ExpressionCompiler.Compile(bound)(Sample));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(8, error.Column);
        Assert.Null(ExpressionCompiler.Compile(Bind("TRY_" + expression))(Sample));
    }

    [Fact]
    public void Converter_IntervalText_ReadsBackWhatCastToStringWrites()
    {
        foreach (var interval in new[] { TimeSpan.FromMinutes(90), new TimeSpan(1, 2, 3, 4, 500).Negate(), TimeSpan.Zero })
        {
            var text = SqlCasts.Converter(SqlType.IntervalDayTime, SqlType.String)(interval);
            Assert.Equal(interval, SqlCasts.Converter(SqlType.String, SqlType.IntervalDayTime)(text));
        }

        Assert.Equal("-2-03", SqlCasts.Converter(SqlType.IntervalYearMonth, SqlType.String)(-27));
        Assert.Equal(-27, SqlCasts.Converter(SqlType.String, SqlType.IntervalYearMonth)("-2-03"));
        Assert.Throws<FormatException>(() => SqlCasts.Converter(SqlType.String, SqlType.IntervalDayTime)("an hour"));
    }

    [Fact]
    public void Cast_ImplicitInsertCastOfNullIntoNotNullColumn_Throws()
    {
        var catalog = SqlFixture.Catalog();
        catalog.Apply(Freshet.Sql.Parsing.SqlParser.ParseStatement("CREATE TABLE sink (a BIGINT NOT NULL) WITH ('connector' = 'print')"));
        var insert = Assert.IsType<Freshet.Sql.Binding.BoundInsert>(Freshet.Sql.Binding.SqlBinder.Bind(Freshet.Sql.Parsing.SqlParser.ParseStatement("INSERT INTO sink SELECT n FROM t"), catalog));
        var value = ExpressionCompiler.Compile(Assert.IsType<Freshet.Sql.Binding.BoundCast>(insert.Values[0]));
        Assert.Equal(5L, value(new Row(5)));
        var error = Assert.Throws<SqlRuntimeException>(() => value(new Row([null])));
        Assert.Contains("must not be NULL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TRY_CAST('42' AS INT)", 42)]
    [InlineData("TRY_CAST(s AS STRING)", "Hello")]
    public void TryCast_ValidValue_Converts(string expression, object expected) => Assert.Equal(expected, Eval(expression));
}
