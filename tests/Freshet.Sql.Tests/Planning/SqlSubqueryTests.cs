using CsCheck;
using Freshet.Streaming.Tables;
using static Freshet.Sql.Tests.Planning.SubqueryChangelogs;

namespace Freshet.Sql.Tests.Planning;

/// <summary>
/// Subqueries in expressions as streaming semi, anti and single-row joins: IN, NOT IN, EXISTS, NOT EXISTS (plain and
/// correlated) and scalar subqueries over random changelogs of both tables (with NULLs), against SQL's answer computed
/// directly from the rows a prefix of each changelog leaves; NOT IN's NULL semantics; the runtime error of a scalar
/// subquery with two rows; EXPLAIN; and the shapes that are refused by name.
/// </summary>
public sealed class SqlSubqueryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-sql-subquery-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Each query over a (id, k, x) and b (id, k, y), with the rows of a it should keep given both tables.</summary>
    public static TheoryData<string, int> Queries() => new()
    {
        { "SELECT id, x FROM a WHERE x IN (SELECT y FROM b)", 1 },
        { "SELECT id, x FROM a WHERE x NOT IN (SELECT y FROM b)", 2 },
        { "SELECT id, x FROM a WHERE id IN (SELECT y FROM b WHERE y > 0) AND x IS NOT NULL", 2 },
        { "SELECT id, x FROM a WHERE EXISTS (SELECT 1 FROM b WHERE y > 2)", 1 },
        { "SELECT id, x FROM a WHERE NOT EXISTS (SELECT * FROM b WHERE y > 2)", 1 },
        { "SELECT id, x FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.k = a.k AND b.y > a.x)", 2 },
        { "SELECT id, x FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.k = a.k AND b.y >= a.x)", 2 },
        { "SELECT id, x FROM a WHERE x IN (SELECT y FROM b WHERE b.k = a.k)", 1 },
        { "SELECT id, x FROM a WHERE x NOT IN (SELECT y FROM b WHERE b.k = a.k)", 2 },
        { "SELECT id, x FROM a WHERE x >= (SELECT MAX(y) FROM b)", 1 },
        { "SELECT id, x, (SELECT MAX(y) FROM b) FROM a WHERE k <> 1", 2 },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void Subquery_RandomChangelogsOnBothSides_EqualsDirectAnswerAfterAPrefixAndAtTheEnd(string query, int parallelism)
    {
        var nonEmpty = 0;
        Gen.Select(Operations, Operations, Gen.Int[0, 100]).Sample((leftOperations, rightOperations, cutPercent) =>
        {
            var left = Changelog(leftOperations);
            var right = Changelog(rightOperations);
            foreach (var (leftCut, rightCut) in new[] { (left.Count * (100 - cutPercent) / 100, right.Count * cutPercent / 100), (left.Count, right.Count) })
            {
                var leftPrefix = left.Take(leftCut).ToArray();
                var rightPrefix = right.Take(rightCut).ToArray();
                var result = Run(query, leftPrefix, rightPrefix, parallelism);
                nonEmpty += result.Count > 0 ? 1 : 0;
                Assert.Equal(SqlJobs.Sorted(Direct(query, Apply(leftPrefix), Apply(rightPrefix))), result);
            }
        }, iter: 10, threads: 1);

        // The comparisons above are not all between empty results.
        Assert.True(nonEmpty > 0);
    }

    [Theory]
    [InlineData("SELECT id, x FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.k = a.k AND b.y >= a.x)")]
    [InlineData("SELECT id, x FROM a WHERE x IN (SELECT y FROM b WHERE b.k = a.k)")]
    [InlineData("SELECT id, x, (SELECT MAX(y) FROM b) FROM a WHERE k <> 1")]
    public void Subquery_OnRocksDbAtParallelism2_EqualsDirectAnswer(string query)
    {
        Gen.Select(Operations, Operations).Sample((leftOperations, rightOperations) =>
        {
            var left = Changelog(leftOperations);
            var right = Changelog(rightOperations);
            var result = Run(query, left, right, parallelism: 2, Path.Combine(_directory, Guid.NewGuid().ToString("N")));
            Assert.Equal(SqlJobs.Sorted(Direct(query, Apply(left), Apply(right))), result);
        }, iter: 4, threads: 1);
    }

    [Theory]
    [InlineData("SELECT 2", "1")]
    [InlineData("SELECT 2 UNION ALL SELECT CAST(NULL AS INT)", "")]
    [InlineData("SELECT 2 WHERE FALSE", "1, 2, null")]
    [InlineData("SELECT CAST(NULL AS INT)", "")]
    public async Task NotIn_WithNullsOnEitherSide_IsUnknownAsSqlDefines(string subquery, string expected)
    {
        var changes = await SqlJobs.RunAsync(SqlJobs.Environment(),
            $"SELECT v FROM (VALUES (1), (2), (CAST(NULL AS INT))) AS t(v) WHERE v NOT IN ({subquery})");
        Assert.Equal(expected.Length == 0 ? [] : expected.Split(", "), SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task In_WithNullsOnEitherSide_KeepsOnlyEqualValues()
    {
        var changes = await SqlJobs.RunAsync(SqlJobs.Environment(),
            "SELECT v FROM (VALUES (1), (2), (CAST(NULL AS INT))) AS t(v) WHERE v IN (SELECT 2 UNION ALL SELECT CAST(NULL AS INT))");
        Assert.Equal(["2"], SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task ScalarSubquery_MoreThanOneRow_FailsTheJobWithARuntimeError()
    {
        var env = SqlJobs.Environment();
        env.Sql.CreateTemporaryView("a", env.FromCollection(new[] { Change.Insert(new Row(1, 1L, 1L)) }), Columns("k", "x"));
        env.Sql.CreateTemporaryView("b", env.FromCollection(new[] { Change.Insert(new Row(1, 1L, 1L)), Change.Insert(new Row(2, 1L, 2L)) }), Columns("k", "y"));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => SqlJobs.RunAsync(env, "SELECT id, (SELECT y FROM b) FROM a"));
        var runtime = Find<SqlRuntimeException>(error);
        Assert.NotNull(runtime);
        Assert.Equal("A scalar subquery returned more than one row", runtime.Problem);
    }

    [Fact]
    public async Task ScalarSubquery_OneRowAfterAnUpdate_IsNoError()
    {
        var env = SqlJobs.Environment(parallelism: 2);
        env.Sql.CreateTemporaryView("a", env.FromCollection(new[] { Change.Insert(new Row(1, 1L, 1L)), Change.Insert(new Row(2, 1L, 5L)) }), Columns("k", "x"));
        env.Sql.CreateTemporaryView("b", env.FromCollection(new[] { Change.Insert(new Row(7, 1L, 1L)), Change.UpdateBefore(new Row(7, 1L, 1L)), Change.UpdateAfter(new Row(7, 1L, 3L)) }), Columns("k", "y"));
        var changes = await SqlJobs.RunAsync(env, "SELECT id FROM a WHERE x > (SELECT y FROM b WHERE id = 7)");
        Assert.Equal(["2"], SqlJobs.Materialize(changes));
    }

    [Fact]
    public async Task In_OverAppendOnlyInputs_IsAppendOnly()
    {
        var changes = await SqlJobs.RunAsync(SqlJobs.Environment(),
            "SELECT v FROM (VALUES (1), (2), (3)) AS t(v) WHERE v IN (SELECT w FROM (VALUES (2), (3), (3)) AS u(w)) AND EXISTS (SELECT 1)");
        Assert.All(changes, c => Assert.Equal(RowKind.Insert, c.Kind));
        Assert.Equal(["2", "3"], SqlJobs.Materialize(changes));
    }

    [Fact]
    public void CorrelatedExists_Explain_IsASemiJoinKeyedByTheCorrelatedEquality()
    {
        var env = SqlJobs.Environment();
        env.Sql.CreateTemporaryView("a", env.FromCollection(Array.Empty<Change<Row>>()), Columns("k", "x"));
        env.Sql.CreateTemporaryView("b", env.FromCollection(Array.Empty<Change<Row>>()), Columns("k", "y"));
        var plan = Explain(env, "SELECT id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.k = a.k AND b.y > 2) AND x NOT IN (SELECT y FROM b)");
        Assert.Contains("Join(joinType=[Semi], leftKeys=[k], rightKeys=[k])", plan, StringComparison.Ordinal);
        Assert.Contains("Join(joinType=[Anti], leftKeys=[], rightKeys=[], where=[IS NOT FALSE((x = y))])", plan, StringComparison.Ordinal);
        Assert.Contains("Calc(select=[id, k, y], where=[(y > 2)])", plan, StringComparison.Ordinal);

        var scalar = Explain(env, "SELECT id, (SELECT MAX(y) FROM b) FROM a");
        Assert.Contains("Join(joinType=[Left], leftKeys=[], rightKeys=[])", scalar, StringComparison.Ordinal);
        Assert.Contains("SingleValue(select=[", scalar, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT id FROM a WHERE x > (SELECT MAX(y) FROM b WHERE b.k = a.k)", "A correlated scalar subquery does not run yet; write it as a join with an aggregating subquery")]
    [InlineData("SELECT id FROM a WHERE EXISTS (SELECT COUNT(*) FROM b WHERE b.k = a.k)", "A correlated subquery with aggregation, GROUP BY or DISTINCT does not run yet; only a plain SELECT ... FROM ... WHERE is decorrelated")]
    [InlineData("SELECT id, x IN (SELECT y FROM b) FROM a", "IN (subquery) runs only as a conjunct of WHERE (joined by AND), not inside another expression")]
    [InlineData("SELECT id FROM a WHERE x = 1 OR EXISTS (SELECT 1 FROM b)", "EXISTS (subquery) runs only as a conjunct of WHERE (joined by AND), not inside another expression")]
    [InlineData("SELECT k, COUNT(*) FROM a GROUP BY k HAVING COUNT(*) > (SELECT MAX(y) FROM b)", "A subquery in HAVING does not run yet; filter the aggregated rows in an outer query")]
    [InlineData("SELECT k, (SELECT MAX(y) FROM b) FROM a GROUP BY k", "A subquery in the SELECT list of an aggregating or DISTINCT query does not run yet; compute it in a subquery of FROM")]
    [InlineData("SELECT a.id FROM a JOIN b ON a.k = b.k AND EXISTS (SELECT 1 FROM b)", "A subquery runs only as a conjunct of WHERE (IN, NOT IN, EXISTS, NOT EXISTS) or as a scalar subquery in WHERE or the SELECT list of a SELECT without aggregation; not here")]
    public void Subquery_ShapeThatDoesNotRun_IsRefusedByName(string query, string problem)
    {
        var env = SqlJobs.Environment();
        env.Sql.CreateTemporaryView("a", env.FromCollection(Array.Empty<Change<Row>>()), Columns("k", "x"));
        env.Sql.CreateTemporaryView("b", env.FromCollection(Array.Empty<Change<Row>>()), Columns("k", "y"));
        var error = Assert.ThrowsAny<SqlException>(() => env.Sql.SqlQuery(query));
        Assert.Equal(problem, error.Problem);
        Assert.True(error.Line >= 1);
    }

    /// <summary>The rows of a (id, x, and the scalar for the SELECT-list query) that each query keeps.</summary>
    private static IEnumerable<object?[]> Direct(string query, List<Row> a, List<Row> b)
    {
        static long? X(Row row) => (long?)row[2];
        static long K(Row row) => (long)row[1]!;
        var ys = b.Select(X).ToList();
        var maxY = ys.Where(y => y is not null).Max();
        foreach (var l in a)
        {
            var x = X(l);
            var correlated = b.Where(r => K(r) == K(l)).Select(X).ToList();
            bool keep;
            switch (Array.IndexOf(Queries().Select(q => (string)q[0]).ToArray(), query))
            {
                case 0: keep = x is not null && ys.Contains(x); break;
                case 1: keep = NotIn(x, ys); break;
                case 2: keep = ys.Any(y => y > 0 && y == (int)l[0]!) && x is not null; break;
                case 3: keep = ys.Any(y => y > 2); break;
                case 4: keep = !ys.Any(y => y > 2); break;
                case 5: keep = correlated.Any(y => y > x); break;
                case 6: keep = !correlated.Any(y => y >= x); break;
                case 7: keep = x is not null && correlated.Contains(x); break;
                case 8: keep = NotIn(x, correlated); break;
                case 9: keep = x >= maxY; break;
                default:
                    if (K(l) != 1)
                    {
                        yield return [l[0], x, maxY];
                    }

                    continue;
            }

            if (keep)
            {
                yield return [l[0], x];
            }
        }
    }

    /// <summary>SQL's x NOT IN (values) in WHERE: TRUE when the values are empty, else only when x and every value
    /// are non-NULL and none equals x.</summary>
    private static bool NotIn(long? x, List<long?> values) =>
        values.Count == 0 || (x is not null && values.All(v => v is not null && v != x));

    private static string Explain(Freshet.Streaming.StreamEnvironment env, string query) => env.Sql.SqlQuery(query).Explain();

    private static T? Find<T>(Exception? error)
        where T : Exception
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is T found)
            {
                return found;
            }

            if (error is AggregateException aggregate && aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(e => e is not null) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }
}
