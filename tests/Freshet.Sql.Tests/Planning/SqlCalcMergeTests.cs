using Freshet.Log;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Tests.Planning;

/// <summary>
/// Queries over views over a log table with a computed column: the SELECTs without aggregation and the computed
/// columns are merged into one Calc (Flink's CalcMergeRule), and every read of the table in one statement shares one
/// source (Flink's source reuse); the results are those of the unmerged plan.
/// </summary>
public sealed class SqlCalcMergeTests : IDisposable
{
    private const string EventsTable = """
        CREATE TABLE events (kind INT, a BIGINT, b BIGINT, ts TIMESTAMP(3), doubled AS a * 2, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
        WITH ('connector' = 'freshet-log', 'topic' = 'events', 'format' = 'json', 'scan.bounded.mode' = 'latest-offset')
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("freshet-sql-").FullName;
    private readonly LogStore _store;

    public SqlCalcMergeTests()
    {
        _store = LogStore.Open(_directory, new LogStoreOptions { BackgroundMaintenance = false });
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Rows (kind, a, b, ts): kind 0 with b = 0, kind 1 with b from 1 to 4.</summary>
    private static readonly (int Kind, long A, long B)[] Rows =
        [.. Enumerable.Range(0, 40).Select(i => (Kind: i % 2, A: (long)i, B: i % 2 == 0 ? 0L : 1 + (i % 4)))];

    private async Task<SqlEnvironment> SessionAsync()
    {
        var sql = SqlEnvironment.Create(SqlJobs.Environment(), new SqlEnvironmentOptions { LogStore = _store });
        await sql.ExecuteSqlAsync(EventsTable);
        var start = new DateTime(2026, 1, 1);
        var values = string.Join(", ", Rows.Select((r, i) => $"({r.Kind}, {r.A}, {r.B}, TIMESTAMP '{start.AddMilliseconds(i * 100):yyyy-MM-dd HH:mm:ss.fff}')"));
        await using (var insert = await sql.ExecuteSqlAsync($"INSERT INTO events (kind, a, b, ts) VALUES {values}"))
        {
            await insert.Job!.Completion.WaitAsync(TimeSpan.FromMinutes(2));
        }

        // The view divides by b, which is 0 exactly where its WHERE drops the row.
        await sql.ExecuteSqlAsync("CREATE VIEW ones AS SELECT a, doubled, a / b AS q, ts FROM events WHERE kind = 1");
        await sql.ExecuteSqlAsync("CREATE VIEW zeros AS SELECT a, doubled FROM events WHERE kind = 0");
        return sql;
    }

    private static async Task<List<string>> RowsOf(SqlResult result)
    {
        var rows = new List<string>();
        await foreach (var change in result.ReadChangesAsync())
        {
            Assert.Equal(RowKind.Insert, change.Kind);
            rows.Add(change.Row.ToString());
        }

        return [.. rows.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task QueryOverViewWithComputedColumn_IsOneCalcOverTheSource()
    {
        var sql = await SessionAsync();
        await using var explain = await sql.ExecuteSqlAsync("EXPLAIN SELECT doubled, q FROM ones WHERE q > 3");
        var plan = (await RowsOf(explain)).Single();
        Assert.Equal(1, Count(plan, "Calc("));
        Assert.Equal(1, Count(plan, "TableSourceScan("));
        Assert.DoesNotContain("Computed columns", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryOverView_FiltersInOrder_NeverEvaluatesTheUpperFilterOnRowsTheViewDrops()
    {
        var sql = await SessionAsync();
        await using var result = await sql.ExecuteSqlAsync("SELECT a, doubled, q FROM ones WHERE q > 3");
        var expected = Rows.Where(r => r.Kind == 1 && r.A / r.B > 3).Select(r => $"{r.A}, {r.A * 2}, {r.A / r.B}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, await RowsOf(result));
    }

    [Fact]
    public async Task SelfJoinOfTwoViewsOverOneTable_ReadsTheTopicOnceAndJoinsLikeTwoReads()
    {
        var sql = await SessionAsync();
        const string query = "SELECT o.a, z.a FROM ones AS o JOIN zeros AS z ON o.doubled = z.doubled + 2";
        await using (var explain = await sql.ExecuteSqlAsync("EXPLAIN " + query))
        {
            Assert.Contains("Join(", (await RowsOf(explain)).Single(), StringComparison.Ordinal);
        }

        await using var result = await sql.ExecuteSqlAsync(query);
        var expected = Rows.Where(o => o.Kind == 1)
            .SelectMany(o => Rows.Where(z => z.Kind == 0 && o.A * 2 == (z.A * 2) + 2).Select(z => $"{o.A}, {z.A}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, await RowsOf(result));
        Assert.Single(result.Job!.GetJobGraph().Vertices, v => v.IsSource);
    }

    [Fact]
    public async Task NondeterministicViewColumn_ReadTwice_IsNotInlined()
    {
        var sql = await SessionAsync();
        await sql.ExecuteSqlAsync("CREATE VIEW r AS SELECT a, CAST(CURRENT_TIMESTAMP AS STRING) AS x FROM events");
        await using var result = await sql.ExecuteSqlAsync("SELECT a, x, x FROM r");
        var rows = await RowsOf(result);
        Assert.Equal(Rows.Length, rows.Count);
        Assert.All(rows, row =>
        {
            var parts = row.Split(", ");
            Assert.Equal(parts[1], parts[2]);
        });
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
