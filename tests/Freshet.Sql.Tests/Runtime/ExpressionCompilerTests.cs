using Freshet.Sql.Runtime;
using static Freshet.Sql.Tests.Runtime.SqlFixture;

namespace Freshet.Sql.Tests.Runtime;

/// <summary>Every operator and function, bound from SQL text and evaluated over a row of <c>t</c>.</summary>
public sealed class ExpressionCompilerTests
{
    public static TheoryData<string, object?> Values() => new()
    {
        // Columns, literals, field access, subscripts.
        { "i", 7 },
        { "r.y", "five" },
        { "arr[1]", 1 },
        { "arr[3]", 3 },
        { "arr[4]", null },
        { "arr[0]", null },
        { "m['a']", 1 },
        { "m['zz']", null },
        { "42", 42 },
        { "3000000000", 3_000_000_000L },
        { "1.50", 1.50m },
        { "1e2", 100d },
        { "'it''s'", "it's" },
        { "DATE '2024-01-31'", new DateOnly(2024, 1, 31) },
        { "TIME '12:34:56'", new TimeOnly(12, 34, 56) },
        { "TIMESTAMP '2024-01-31 12:00:00.5'", new DateTime(2024, 1, 31, 12, 0, 0, 500) },
        { "INTERVAL '10' SECOND", TimeSpan.FromSeconds(10) },
        { "INTERVAL '1:30' HOUR TO MINUTE", TimeSpan.FromMinutes(90) },
        { "INTERVAL '2 03:04:05.5' DAY TO SECOND", new TimeSpan(2, 3, 4, 5, 500) },
        { "INTERVAL '1-6' YEAR TO MONTH", 18 },
        { "INTERVAL '2' YEAR", 24 },
        { "INTERVAL '-3' DAY", TimeSpan.FromDays(-3) },

        // Arithmetic: result types, wrapping, truncation.
        { "i + 1", 8 },
        { "i + b", 10_000_000_007L },
        { "i - 10", -3 },
        { "i * 3", 21 },
        { "i / 2", 3 },
        { "-i / 2", -3 },
        { "i % 3", 1 },
        { "-i % 3", -1 },
        { "MOD(i, 4)", 3 },
        { "2147483647 + i", -2147483642 },
        { "CAST(-2147483648 AS INT) / -1", int.MinValue },
        { "CAST(-2147483648 AS INT) % -1", 0 },
        { "-2147483648", -2147483648L },
        { "ti + ti", unchecked((sbyte)200) },
        { "si * si", unchecked((short)1_000_000) },
        { "i + d", 9.5d },
        { "d / 0", double.PositiveInfinity },
        { "dec + 1", 13.34m },
        { "dec * 2", 24.68m },
        { "dec / 4", 3.085000m },
        { "i + 0.5", 7.5m },
        { "-i", -7 },
        { "-dec", -12.34m },
        { "f + f", 3f },
        { "s || ' world'", "Hello world" },

        // Comparisons across types.
        { "i = 7", true },
        { "i <> 7", false },
        { "i < b", true },
        { "i >= 7.0", true },
        { "d > i", false },
        { "s = 'Hello'", true },
        { "s < 'World'", true },
        { "'a' < 'B'", false },
        { "ts > DATE '2024-03-15'", true },
        { "ts = ltz", true },
        { "dt = DATE '2024-03-15'", true },
        { "i BETWEEN 1 AND 10", true },
        { "i NOT BETWEEN 1 AND 10", false },
        { "i = n", null },
        { "n IS DISTINCT FROM 1", true },
        { "n IS NOT DISTINCT FROM NULL", true },
        { "i IS DISTINCT FROM 7", false },
        { "arr = ARRAY[1, 2, 3]", true },

        // IN, LIKE.
        { "i IN (1, 7, 9)", true },
        { "i IN (1, 2)", false },
        { "i IN (1, n)", null },
        { "i IN (7, n)", true },
        { "n IN (1, 2)", null },
        { "i NOT IN (1, 2)", true },
        { "i NOT IN (1, n)", null },
        { "b IN (i, 10000000000)", true },
        { "s LIKE 'H%'", true },
        { "s LIKE 'h%'", false },
        { "s LIKE '_ello'", true },
        { "s LIKE 'H_o'", false },
        { "s NOT LIKE '%x%'", true },
        { "'a.c' LIKE 'a.c'", true },
        { "'abc' LIKE 'a.c'", false },
        { "g LIKE 'a!%b' ESCAPE '!'", true },
        { "'axb' LIKE 'a!%b' ESCAPE '!'", false },
        { "s LIKE g", false },
        { "'multi\nline' LIKE 'multi%'", true },

        // IS tests.
        { "n IS NULL", true },
        { "i IS NOT NULL", true },
        { "flag IS TRUE", true },
        { "flag IS NOT TRUE", false },
        { "flag IS FALSE", false },
        { "CAST(NULL AS BOOLEAN) IS NOT FALSE", true },
        { "CAST(NULL AS BOOLEAN) IS UNKNOWN", true },

        // Conditionals.
        { "CASE WHEN i > 5 THEN 'big' ELSE 'small' END", "big" },
        { "CASE i WHEN 1 THEN 'one' WHEN 7 THEN 'seven' END", "seven" },
        { "CASE i WHEN 1 THEN 'one' END", null },
        { "CASE WHEN n > 0 THEN 1 ELSE 2.5 END", 2.5m },
        { "CASE WHEN i > 0 THEN 1 ELSE 2.5 END", 1m },
        { "COALESCE(n, i)", 7 },
        { "COALESCE(n, NULL, 3)", 3 },
        { "COALESCE(n, b)", 10_000_000_000L },
        { "NULLIF(i, 7)", null },
        { "NULLIF(i, 8)", 7 },
        { "IF(i > 5, 'y', 'n')", "y" },
        { "IF(n > 5, 'y', 'n')", "n" },

        // Strings.
        { "UPPER(s)", "HELLO" },
        { "LOWER(s)", "hello" },
        { "TRIM('  x  ')", "x" },
        { "LTRIM('  x  ')", "x  " },
        { "RTRIM('  x  ')", "  x" },
        { "CHAR_LENGTH(s)", 5 },
        { "CHARACTER_LENGTH('')", 0 },
        { "SUBSTRING(s, 2)", "ello" },
        { "SUBSTRING(s, 2, 3)", "ell" },
        { "SUBSTR(s, -2)", "lo" },
        { "SUBSTRING(s, 0, 2)", "He" },
        { "SUBSTRING(s, 10)", "" },
        { "SUBSTRING(s, 2, -1)", null },
        { "CONCAT(s, '-', r.y)", "Hello-five" },
        { "CONCAT(s, CAST(n AS STRING))", null },
        { "REPLACE(s, 'l', 'L')", "HeLLo" },
        { "REPLACE(s, '', 'L')", "Hello" },
        { "REGEXP_EXTRACT('foo123bar', '([a-z]+)([0-9]+)', 2)", "123" },
        { "REGEXP_EXTRACT('foo123bar', '[0-9]+')", "123" },
        { "REGEXP_EXTRACT('foobar', '[0-9]+')", null },
        { "REGEXP_EXTRACT('foo123', '([a-z]+)', 5)", null },
        { "REGEXP_EXTRACT('a=1&channel_id=42&b=2', '(&|^)channel_id=([^&]*)', 2)", "42" },
        { "REGEXP_EXTRACT('channel_id=7', '(&|^)channel_id=([^&]*)', 2)", "7" },
        { "REGEXP_EXTRACT('x=1&channel_id=', '(&|^)channel_id=([^&]*)', 2)", "" },
        { "REGEXP_EXTRACT('xchannel_id=7', '(&|^)channel_id=([^&]*)', 2)", null },
        { "SPLIT_INDEX('https://www.nexmark.com/a/b/c/item.htm', '/', 3)", "a" },
        { "SPLIT_INDEX('https://www.nexmark.com/a/b/c/item.htm', '/', 1)", "" },
        { "SPLIT_INDEX('https://www.nexmark.com/a/b/c/item.htm', '/', 6)", "item.htm" },
        { "SPLIT_INDEX('https://www.nexmark.com/a/b/c/item.htm', '/', 7)", null },
        { "SPLIT_INDEX('a/b', '/', -1)", null },
        { "SPLIT_INDEX('a/b/', '/', 2)", "" },
        { "SPLIT_INDEX('/a', '/', 0)", "" },
        { "SPLIT_INDEX('a::b::c', '::', 1)", "b" },
        { "SPLIT_INDEX('a:b', '::', 0)", "a:b" },
        { "SPLIT_INDEX('', '/', 0)", null },
        { "SPLIT_INDEX('a b\tc', '', 1)", "b" },
        { "SPLIT_INDEX('a b\tc', '', 2)", "c" },
        { "SPLIT_INDEX('a  b', '', 1)", "" },
        { "SPLIT_INDEX(s, 'l', CAST(2 AS TINYINT))", "o" },
        { "REGEXP_REPLACE('a1b22c', '[0-9]+', '#')", "a#b#c" },
        { "REGEXP_REPLACE('2024-03-15', '(\\d+)-(\\d+)-(\\d+)', '$3/$2/$1')", "15/03/2024" },

        // Math.
        { "ABS(-i)", 7 },
        { "ABS(CAST(-2147483648 AS INT))", int.MinValue },
        { "ABS(-dec)", 12.34m },
        { "ROUND(dec, 1)", 12.30m },
        { "ROUND(2.345, 2)", 2.350m },
        { "ROUND(d)", 3d },
        { "ROUND(f)", 2f },
        { "ROUND(-2.5e0)", -3d },
        { "ROUND(1234, -2)", 1200 },
        { "FLOOR(d)", 2d },
        { "CEIL(d)", 3d },
        { "CEILING(dec)", 13m },
        { "FLOOR(-dec)", -13m },
        { "FLOOR(i)", 7 },
        { "POWER(2, 10)", 1024d },
        { "SQRT(16)", 4d },
        { "LN(1)", 0d },
        { "EXP(0)", 1d },

        // Time.
        { "EXTRACT(YEAR FROM ts)", 2024L },
        { "EXTRACT(QUARTER FROM ts)", 1L },
        { "EXTRACT(MONTH FROM dt)", 3L },
        { "EXTRACT(DAY FROM ltz)", 15L },
        { "EXTRACT(HOUR FROM ts)", 10L },
        { "HOUR(ts)", 10L },
        { "HOUR(ltz)", 10L },
        { "HOUR(tm)", 10L },
        { "MINUTE(ts)", 20L },
        { "SECOND(ts)", 30L },
        { "YEAR(dt)", 2024L },
        { "QUARTER(ts)", 1L },
        { "MONTH(ts)", 3L },
        { "DAYOFMONTH(dt)", 15L },
        { "DAYOFYEAR(dt)", 75L },
        { "DAYOFWEEK(dt)", 6L },
        { "WEEK(dt)", 11L },
        { "HOUR(TIMESTAMP '2024-03-15 23:59:59.999')", 23L },
        { "EXTRACT(MINUTE FROM tm)", 20L },
        { "EXTRACT(SECOND FROM ts)", 30L },
        { "EXTRACT(MILLISECOND FROM ts)", 30_123L },
        { "EXTRACT(DOW FROM dt)", 6L },
        { "EXTRACT(DOY FROM dt)", 75L },
        { "EXTRACT(WEEK FROM dt)", 11L },
        { "EXTRACT(EPOCH FROM TIMESTAMP '1970-01-02 00:00:00')", 86_400L },
        { "EXTRACT(CENTURY FROM dt)", 21L },
        { "EXTRACT(DAY FROM INTERVAL '3 04:00:00' DAY TO SECOND)", 3L },
        { "EXTRACT(MONTH FROM INTERVAL '1-6' YEAR TO MONTH)", 6L },
        { "EXTRACT(YEAR FROM CAST(NULL AS TIMESTAMP(3)))", null },
        { "ts + INTERVAL '1' HOUR", SampleTimestamp.AddHours(1) },
        { "ts - INTERVAL '30' SECOND", SampleTimestamp.AddSeconds(-30) },
        { "INTERVAL '1' DAY + ts", SampleTimestamp.AddDays(1) },
        { "ts + INTERVAL '1' MONTH", SampleTimestamp.AddMonths(1) },
        { "TIMESTAMP '2024-01-31 00:00:00' + INTERVAL '1' MONTH", new DateTime(2024, 2, 29) },
        { "ltz + INTERVAL '2' MINUTE", new DateTimeOffset(SampleTimestamp.AddMinutes(2), TimeSpan.Zero) },
        { "dt + INTERVAL '2' DAY", new DateOnly(2024, 3, 17) },
        { "dt - INTERVAL '1' YEAR", new DateOnly(2023, 3, 15) },
        { "tm + INTERVAL '14' HOUR", new TimeOnly(0, 20, 30) },
        { "INTERVAL '1' HOUR + INTERVAL '30' MINUTE", TimeSpan.FromMinutes(90) },
        { "INTERVAL '1' HOUR * 3", TimeSpan.FromHours(3) },
        { "2 * INTERVAL '1' MONTH", 2 },
        { "-INTERVAL '1' HOUR", TimeSpan.FromHours(-1) },
        { "DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm:ss')", "2024-03-15 10:20:30" },
        { "DATE_FORMAT(ts, 'yyyy/MM/dd''T''HH.mm.ss.SSS')", "2024/03/15T10.20.30.123" },
        { "DATE_FORMAT(ltz, 'yy-M-d h:mm a')", "24-3-15 10:20 AM" },
        { "DATE_FORMAT(ts, 'EEE MMM dd')", "Fri Mar 15" },
        { "DATE_FORMAT('2024-03-15 10:20:30', 'HH''h''mm')", "10h20" },
        { "DATE_FORMAT('not a time', 'HH')", null },
        { "TO_TIMESTAMP('2024-03-15 10:20:30')", new DateTime(2024, 3, 15, 10, 20, 30) },
        { "TO_TIMESTAMP('2024-03-15 10:20:30.123456')", new DateTime(2024, 3, 15, 10, 20, 30, 123) },
        { "TO_TIMESTAMP('15/03/2024 10:20', 'dd/MM/yyyy HH:mm')", new DateTime(2024, 3, 15, 10, 20, 0) },
        { "TO_TIMESTAMP('garbage')", null },
        { "TO_TIMESTAMP('15/03/2024', 'yyyy-MM-dd')", null },
        { "TO_DATE('2024-03-15')", new DateOnly(2024, 3, 15) },
        { "TO_DATE('15.03.2024', 'dd.MM.yyyy')", new DateOnly(2024, 3, 15) },
        { "TO_DATE('2024-02-30')", null },

        // Constructors.
        { "ARRAY[1, 2, 3]", new object?[] { 1, 2, 3 } },
        { "ARRAY[1, 2.5]", new object?[] { 1.0m, 2.5m } },
        { "ROW(i, s)", new Row(7, "Hello") },
        { "MAP['k', i]['k']", 7 },
        { "MAP[1, 'x', 2, 'y'][2]", "y" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Compile_Expression_EvaluatesAsFlink(string expression, object? expected)
    {
        var actual = Eval(expression);
        Assert.True(Row.ValueEquals(expected, actual), $"{expression}: expected {Describe(expected)} but got {Describe(actual)}");
        if (expected is not null)
        {
            Assert.Equal(expected.GetType(), actual!.GetType());
        }
    }

    public static TheoryData<string> NullPropagating() => new()
    {
        "i + 1", "-i", "n * 2", "dec / 2", "s || 'x'", "UPPER(s)", "LOWER(s)", "TRIM(s)", "CHAR_LENGTH(s)", "SUBSTRING(s, 1, 2)",
        "CONCAT(s, 'x')", "REPLACE(s, 'a', 'b')", "REGEXP_EXTRACT(s, 'a')", "REGEXP_REPLACE(s, 'a', 'b')", "ABS(i)", "ROUND(d, 1)",
        "FLOOR(dec)", "CEIL(d)", "POWER(d, 2)", "SQRT(d)", "LN(d)", "EXP(d)", "MOD(i, 2)", "EXTRACT(YEAR FROM ts)", "HOUR(ts)", "DAYOFMONTH(dt)", "SPLIT_INDEX(s, '/', 0)", "ts + INTERVAL '1' HOUR",
        "dt + INTERVAL '1' DAY", "DATE_FORMAT(ts, 'yyyy')", "TO_TIMESTAMP(s)", "TO_DATE(s)", "i = 1", "s LIKE 'a%'", "i IN (1, 2)",
        "NOT flag", "CAST(i AS STRING)", "TRY_CAST(s AS INT)", "arr[1]", "m['a']", "r.x", "COALESCE(i, n)", "NULLIF(i, 1)",
        "i BETWEEN 1 AND 2", "ts > ltz",
    };

    [Theory]
    [MemberData(nameof(NullPropagating))]
    public void Compile_NullInput_GivesNull(string expression) => Assert.Null(Eval(expression, Nulls));

    [Theory]
    [InlineData("TRUE", "TRUE", true, true)]
    [InlineData("TRUE", "FALSE", false, true)]
    [InlineData("TRUE", "NULL", null, true)]
    [InlineData("FALSE", "FALSE", false, false)]
    [InlineData("FALSE", "NULL", false, null)]
    [InlineData("NULL", "NULL", null, null)]
    [InlineData("FALSE", "TRUE", false, true)]
    [InlineData("NULL", "TRUE", null, true)]
    [InlineData("NULL", "FALSE", false, null)]
    public void Compile_BooleanOperators_FollowThreeValuedLogic(string p, string q, bool? and, bool? or)
    {
        string Typed(string v) => v == "NULL" ? "CAST(NULL AS BOOLEAN)" : v;
        Assert.Equal(and, Eval($"{Typed(p)} AND {Typed(q)}"));
        Assert.Equal(or, Eval($"{Typed(p)} OR {Typed(q)}"));
        var not = p == "NULL" ? (bool?)null : p != "TRUE";
        Assert.Equal(not, Eval($"NOT {Typed(p)}"));
    }

    [Fact]
    public void CompilePredicate_NullAndFalse_AreNotTrue()
    {
        var predicate = ExpressionCompiler.CompilePredicate(Bind("i > 5"));
        Assert.True(predicate(Sample));
        Assert.False(predicate(Nulls));
        Assert.False(ExpressionCompiler.CompilePredicate(Bind("i > 50"))(Sample));
    }

    [Fact]
    public void CompileProjection_EvaluatesEachExpression()
    {
        var select = Select("SELECT i + 1, UPPER(s), n FROM t");
        var project = ExpressionCompiler.CompileProjection(select.Projections);
        Assert.Equal(new Row(8, "HELLO", null), project(Sample));
    }

    [Fact]
    public void Compile_AndOr_ShortCircuitPastErrors()
    {
        Assert.Equal(false, Eval("i > 100 AND i / 0 = 1"));
        Assert.Equal(true, Eval("i < 100 OR i / 0 = 1"));
    }

    [Theory]
    [InlineData("i / 0", "Division by zero")]
    [InlineData("i % 0", "Division by zero")]
    [InlineData("MOD(b, 0)", "Division by zero")]
    [InlineData("dec / 0", "Division by zero")]
    [InlineData("REGEXP_EXTRACT(s, g || '(')", "invalid regular expression")]
    [InlineData("s LIKE 'a!' ESCAPE '!'", "invalid escape")]
    [InlineData("TIMESTAMP '9999-12-31 00:00:00' + INTERVAL '2' DAY", "is out of range")]
    [InlineData("dec * 10000000000000000000000000000", "overflows DECIMAL")]
    [InlineData("DATE_FORMAT(ts, 'yyyy-QQ')", "Invalid date format")]
    public void Compile_RuntimeFailure_ThrowsSqlRuntimeExceptionAtTheExpression(string expression, string message)
    {
        var bound = Bind(expression);
        var error = Assert.Throws<SqlRuntimeException>(() => ExpressionCompiler.Compile(bound)(Sample));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
        Assert.Equal(8, error.Column);
    }

    [Fact]
    public void Compile_RegexThatTimesOut_ThrowsSqlRuntimeException()
    {
        var bound = Bind("REGEXP_EXTRACT(s || s || s || s || s || s || 'x', '^(([a-zA-Z])+)+y$')");
        var row = new Row(new object?[] { 7, 1L, new string('a', 8), 2.5, 1m, null, null, null, null, null, null, null, null, null, null, null, null, null, null });
        var error = Assert.Throws<SqlRuntimeException>(() => ExpressionCompiler.Compile(bound)(row));
        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_Subquery_IsRefusedByName()
    {
        var select = Select("SELECT i FROM t WHERE i IN (SELECT n FROM t)");
        var error = Assert.Throws<SqlValidationException>(() => ExpressionCompiler.Compile(select.Filter!));
        Assert.StartsWith("A subquery runs only as a conjunct of WHERE", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_OverCall_IsRefused()
    {
        var select = Select("SELECT SUM(i) OVER (ORDER BY ts) FROM t");
        Assert.Throws<SqlValidationException>(() => ExpressionCompiler.Compile(select.Projections[0]));
    }

    [Fact]
    public void Compile_CurrentTime_ReadsTheClockOnEveryCall()
    {
        var clock = new ManualClock(new DateTimeOffset(2024, 5, 1, 8, 0, 0, 123, TimeSpan.Zero).AddTicks(4567));
        var now = ExpressionCompiler.Compile(Bind("CURRENT_TIMESTAMP"), clock);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 8, 0, 0, 123, TimeSpan.Zero), now(Sample));
        clock.Now = clock.Now.AddMinutes(1);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 8, 1, 0, 123, TimeSpan.Zero), now(Sample));
        Assert.Equal(new DateOnly(2024, 5, 1), Eval("CURRENT_DATE", clock: clock));
        Assert.Equal(new DateTime(2024, 5, 1, 8, 1, 0, 123), Eval("LOCALTIMESTAMP", clock: clock));
        Assert.Equal(new TimeOnly(8, 1, 0), Eval("CURRENT_TIME", clock: clock));
        Assert.Equal(clock.Now.AddTicks(-4567), Eval("NOW()", clock: clock));
    }

    private static string Describe(object? value) => value is null ? "NULL" : $"{new Row([value])} ({value.GetType().Name})";

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
