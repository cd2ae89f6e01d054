using Freshet.Sql.Typing;
using Freshet.Streaming;
using Freshet.Streaming.Time;

namespace Freshet.Sql.Tests.Planning;

/// <summary>C# scalar functions registered with <see cref="SqlEnvironment.CreateTemporarySystemFunction"/>, called
/// from queries that run end to end.</summary>
public sealed class UserFunctionTests
{
    public sealed record Bid(long Auction, string? Extra, DateTime DateTime);

    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0);

    private static readonly Bid[] Bids =
    [
        new(1, "cabc", Start),
        new(2, "xyz", Start.AddSeconds(1)),
        new(3, null, Start.AddSeconds(2)),
        new(4, "ccc", Start.AddSeconds(3)),
    ];

    private static StreamEnvironment WithBids(int parallelism = 1)
    {
        var env = SqlJobs.Environment(parallelism);
        var stream = env.FromCollection(Bids, WatermarkStrategy.ForMonotonousTimestamps<Bid>().WithTimestampAssigner((b, _) => new DateTimeOffset(b.DateTime, TimeSpan.Zero).ToUnixTimeMilliseconds()));
        env.Sql.CreateTemporaryView("bid", stream, rowtimeColumn: "DateTime");
        return env;
    }

    private static long CountChar(string? text, string? character) => text is null || string.IsNullOrEmpty(character) ? 0 : text.Count(c => c == character[0]);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Call_InferredTypes_RunsInSelectAndWhere(int parallelism)
    {
        var env = WithBids(parallelism);
        env.Sql.CreateTemporarySystemFunction("count_char", CountChar);
        var changes = await SqlJobs.RunAsync(env, "SELECT Auction, COUNT_CHAR(Extra, 'c') AS c FROM bid WHERE count_char(Extra, 'c') <> 1");
        Assert.Equal(SqlJobs.Sorted([[1L, 2L], [2L, 0L], [3L, 0L], [4L, 3L]]), SqlJobs.Materialize(changes));
    }

    [Fact]
    public void Bind_InferredTypes_ResultTypeFollowsDelegate()
    {
        var env = SqlJobs.Environment();
        env.Sql.CreateTemporarySystemFunction("count_char", CountChar);
        env.Sql.CreateTemporarySystemFunction("twice", (long? x) => x * 2);
        env.Sql.CreateTemporarySystemFunction("plus_one", (int x) => x + 1);
        var table = env.Sql.SqlQuery("SELECT count_char('a', 'a') AS c, twice(CAST(2 AS INT)) AS t, plus_one(1) AS p");
        Assert.Equal(["c BIGINT NOT NULL", "t BIGINT", "p INT"], table.Columns.Select(c => c.ToString()));
    }

    [Fact]
    public async Task Call_NullForNonNullableValueParameter_GivesNullWithoutCalling()
    {
        var env = SqlJobs.Environment();
        var calls = 0;
        env.Sql.CreateTemporarySystemFunction("plus_one", (int x) =>
        {
            Interlocked.Increment(ref calls);
            return x + 1;
        });
        var changes = await SqlJobs.RunAsync(env, "SELECT plus_one(v) FROM (VALUES (1), (CAST(NULL AS INT))) AS t(v)");
        Assert.Equal(SqlJobs.Sorted([[2], [null]]), SqlJobs.Materialize(changes));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Call_DeclaredTypes_CastsArgumentsAndKeepsDecimalScale()
    {
        var env = SqlJobs.Environment();
        env.Sql.CreateTemporarySystemFunction("half", (decimal x) => decimal.Round(x / 2, 2), SqlType.Decimal(10, 2), [SqlType.Decimal(10, 2)]);
        var table = env.Sql.SqlQuery("SELECT half(5) AS h");
        Assert.Equal("h DECIMAL(10, 2)", table.Columns.Single().ToString());
        var changes = await SqlJobs.RunAsync(env, "SELECT half(5) AS h");
        Assert.Equal(2.50m, (decimal)changes.Single().Row[0]!);
    }

    [Fact]
    public void Create_BuiltInNameDuplicateOrMismatchedType_IsRefused()
    {
        var sql = SqlJobs.Environment().Sql;
        Assert.Contains("built-in", Assert.Throws<ArgumentException>(() => sql.CreateTemporarySystemFunction("upper", (string s) => s)).Message, StringComparison.Ordinal);
        Assert.Contains("built-in", Assert.Throws<ArgumentException>(() => sql.CreateTemporarySystemFunction("Split_Index", (string s) => s)).Message, StringComparison.Ordinal);
        sql.CreateTemporarySystemFunction("f", (string s) => s);
        Assert.Contains("already exists", Assert.Throws<ArgumentException>(() => sql.CreateTemporarySystemFunction("F", (string s) => s)).Message, StringComparison.Ordinal);
        Assert.Contains("no SQL type", Assert.Throws<ArgumentException>(() => sql.CreateTemporarySystemFunction("g", (Guid g) => 1)).Message, StringComparison.Ordinal);
        Assert.Contains("declared BIGINT", Assert.Throws<ArgumentException>(() => sql.CreateTemporarySystemFunction("h", (int x) => x, SqlType.BigInt)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => sql.CreateTemporarySystemFunction("not a name", (int x) => x));
    }

    [Fact]
    public void Bind_WrongArgumentCountOrType_IsRefusedWithSpan()
    {
        var sql = SqlJobs.Environment().Sql;
        sql.CreateTemporarySystemFunction("count_char", CountChar);
        var count = Assert.Throws<SqlValidationException>(() => sql.SqlQuery("SELECT count_char('a')"));
        Assert.Equal("Function count_char takes 2 arguments, but got 1", count.Problem);
        var type = Assert.Throws<SqlValidationException>(() => sql.SqlQuery("SELECT count_char('a', 1)"));
        Assert.Contains("argument 2 is INT", type.Problem, StringComparison.Ordinal);
        Assert.Equal((1, 24), (type.Line, type.Column));
        Assert.Contains("No function named 'count_chars'", Assert.Throws<SqlValidationException>(() => sql.SqlQuery("SELECT count_chars('a', 'b')")).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_FunctionThrows_FailsTheJobNamingIt()
    {
        var env = SqlJobs.Environment();
        env.Sql.CreateTemporarySystemFunction("boom", (long x) => x == 2 ? throw new InvalidOperationException("no twos") : x);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => SqlJobs.RunAsync(env, "SELECT boom(v) FROM (VALUES (1), (2)) AS t(v)"));
        Assert.Contains("Function boom failed: no twos", Flatten(error), StringComparison.Ordinal);
    }

    private static string Flatten(Exception e) => e.ToString();
}
