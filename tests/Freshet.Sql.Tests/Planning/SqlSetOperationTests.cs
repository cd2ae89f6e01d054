using CsCheck;
using Freshet.Streaming.Tables;
using static Freshet.Sql.Tests.Planning.SubqueryChangelogs;

namespace Freshet.Sql.Tests.Planning;

/// <summary>
/// INTERSECT [ALL] and EXCEPT [ALL] over random changelogs (inserts, updates, deletes, NULLs) on both sides, against
/// the multiset computed directly from the rows each prefix of the changelogs leaves: set semantics without ALL,
/// min(l, r) and max(l − r, 0) copies with it, NULLs equal to each other as in every set operation.
/// </summary>
public sealed class SqlSetOperationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-sql-setop-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("INTERSECT", 1)]
    [InlineData("INTERSECT ALL", 2)]
    [InlineData("EXCEPT", 2)]
    [InlineData("EXCEPT ALL", 1)]
    public void SetOperation_RandomChangelogsOnBothSides_EqualsDirectMultisetAfterAPrefixAndAtTheEnd(string operation, int parallelism)
    {
        var nonEmpty = 0;
        Gen.Select(Operations, Operations, Gen.Int[0, 100]).Sample((leftOperations, rightOperations, cutPercent) =>
        {
            var left = Changelog(leftOperations);
            var right = Changelog(rightOperations);
            foreach (var (leftCut, rightCut) in new[] { (left.Count * cutPercent / 100, right.Count * (100 - cutPercent) / 100), (left.Count, right.Count) })
            {
                var leftPrefix = left.Take(leftCut).ToArray();
                var rightPrefix = right.Take(rightCut).ToArray();
                var result = Run($"SELECT k, x FROM a {operation} SELECT k, y FROM b", leftPrefix, rightPrefix, parallelism);
                nonEmpty += result.Count > 0 ? 1 : 0;
                Assert.Equal(SqlJobs.Sorted(Direct(operation, Apply(leftPrefix), Apply(rightPrefix))), result);
            }
        }, iter: 12, threads: 1);

        // The comparisons above are not all between empty results.
        Assert.True(nonEmpty > 0);
    }

    [Theory]
    [InlineData("INTERSECT ALL")]
    [InlineData("EXCEPT")]
    public void SetOperation_OnRocksDbAtParallelism2_EqualsDirectMultiset(string operation)
    {
        Gen.Select(Operations, Operations).Sample((leftOperations, rightOperations) =>
        {
            var left = Changelog(leftOperations);
            var right = Changelog(rightOperations);
            var result = Run($"SELECT k, x FROM a {operation} SELECT k, y FROM b", left, right, parallelism: 2, Path.Combine(_directory, Guid.NewGuid().ToString("N")));
            Assert.Equal(SqlJobs.Sorted(Direct(operation, Apply(left), Apply(right))), result);
        }, iter: 4, threads: 1);
    }

    [Fact]
    public async Task SetOperations_OverValuesWithDuplicatesAndNulls_KeepTheCopiesSqlDefines()
    {
        const string left = "(VALUES (1), (1), (1), (2), (CAST(NULL AS INT)), (CAST(NULL AS INT)), (4))";
        const string right = "(VALUES (1), (2), (2), (3), (CAST(NULL AS INT)))";
        var expected = new Dictionary<string, string[]>
        {
            ["INTERSECT"] = ["1", "2", "null"],
            ["INTERSECT ALL"] = ["1", "2", "null"],
            ["EXCEPT"] = ["4"],
            ["EXCEPT ALL"] = ["1", "1", "4", "null"],
        };
        foreach (var (operation, rows) in expected)
        {
            var changes = await SqlJobs.RunAsync(SqlJobs.Environment(), $"SELECT * FROM {left} AS l(v) {operation} SELECT * FROM {right} AS r(v)");
            Assert.Equal(SqlJobs.Sorted(rows.Select(r => new object?[] { r == "null" ? null : int.Parse(r, System.Globalization.CultureInfo.InvariantCulture) })), SqlJobs.Materialize(changes));
        }
    }

    [Fact]
    public void SetOperation_Explain_ShowsTheOperatorKeyedByTheWholeRow()
    {
        var env = SqlJobs.Environment();
        env.Sql.CreateTemporaryView("a", env.FromCollection(Array.Empty<Change<Row>>()), Columns("k", "x"));
        env.Sql.CreateTemporaryView("b", env.FromCollection(Array.Empty<Change<Row>>()), Columns("k", "y"));
        var plan = env.Sql.SqlQuery("SELECT k, x FROM a EXCEPT ALL SELECT k, y FROM b").Explain();
        Assert.StartsWith("Except(all=[true], keys=[k, x]), changelogMode=[I,UB,UA,D]", plan, StringComparison.Ordinal);
    }

    /// <summary>The multiset the set operation leaves over the projected (k, value) rows of both sides.</summary>
    private static IEnumerable<object?[]> Direct(string operation, List<Row> left, List<Row> right)
    {
        var l = left.GroupBy(r => (K: r[1], V: r[2])).ToDictionary(g => g.Key, g => g.Count());
        var r = right.GroupBy(r => (K: r[1], V: r[2])).ToDictionary(g => g.Key, g => g.Count());
        foreach (var key in l.Keys.Union(r.Keys))
        {
            var lc = l.GetValueOrDefault(key);
            var rc = r.GetValueOrDefault(key);
            var copies = operation switch
            {
                "INTERSECT" => lc > 0 && rc > 0 ? 1 : 0,
                "INTERSECT ALL" => Math.Min(lc, rc),
                "EXCEPT" => lc > 0 && rc == 0 ? 1 : 0,
                _ => Math.Max(lc - rc, 0),
            };
            for (var i = 0; i < copies; i++)
            {
                yield return [key.K, key.V];
            }
        }
    }
}
