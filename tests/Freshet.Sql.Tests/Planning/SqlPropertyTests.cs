using CsCheck;
using Freshet.Sql.Typing;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Tests.Planning;

/// <summary>
/// Random changelogs (inserts, updates as -U/+U pairs, deletes of rows keyed by an id) through SQL GROUP BY and
/// joins, against the same result computed directly from the table each prefix of the changelog leaves.
/// </summary>
public sealed class SqlPropertyTests
{
    // An operation on row id: (id, group, value); a value of null deletes the row.
    private static readonly Gen<(int Id, int Group, long? Value)[]> Operations =
        Gen.Select(Gen.Int[0, 7], Gen.Int[0, 3], Gen.Long[-50, 50], Gen.Int[0, 4]).Select((id, g, v, d) => (id, g, d == 0 ? (long?)null : v)).Array[1, 40];

    [Fact]
    public void GroupBy_RandomUpdatesAndDeletes_EqualsDirectAggregatesAfterEachPrefix()
    {
        Operations.Select(Gen.Int[1, 100]).Sample((operations, cutPercent) =>
        {
            var changes = Changelog(operations);
            foreach (var cut in new[] { changes.Count * cutPercent / 100, changes.Count })
            {
                var prefix = changes.Take(cut).ToArray();
                var env = SqlJobs.Environment();
                env.Sql.CreateTemporaryView("t", env.FromCollection(prefix), Columns("id", "grp", "v"));
                var result = SqlJobs.Materialize(SqlJobs.RunAsync(env, "SELECT grp, COUNT(*), SUM(v), MIN(v), MAX(v), COUNT(DISTINCT v) FROM t GROUP BY grp").GetAwaiter().GetResult());
                var rows = Apply(prefix);
                var expected = rows.GroupBy(r => (long)r[1]!).Select(g => new object?[]
                {
                    g.Key, (long)g.Count(), g.Sum(r => (long)r[2]!), g.Min(r => (long)r[2]!), g.Max(r => (long)r[2]!), (long)g.Select(r => (long)r[2]!).Distinct().Count(),
                });
                Assert.Equal(SqlJobs.Sorted(expected), result);
            }
        }, iter: 40);
    }

    [Theory]
    [InlineData("JOIN")]
    [InlineData("LEFT JOIN")]
    [InlineData("FULL JOIN")]
    public void Join_RandomChangelogsOnBothSides_EqualsDirectJoin(string join)
    {
        Gen.Select(Operations, Operations).Sample((left, right) =>
        {
            var leftChanges = Changelog(left);
            var rightChanges = Changelog(right);
            var env = SqlJobs.Environment(parallelism: 2);
            env.Sql.CreateTemporaryView("a", env.FromCollection(leftChanges), Columns("id", "k", "x"));
            env.Sql.CreateTemporaryView("b", env.FromCollection(rightChanges), Columns("id", "k", "y"));
            var result = SqlJobs.Materialize(SqlJobs.RunAsync(env, $"SELECT a.id, a.x, b.id, b.y FROM a {join} b ON a.k = b.k AND a.x <= b.y").GetAwaiter().GetResult());

            var a = Apply(leftChanges);
            var b = Apply(rightChanges);
            var expected = new List<object?[]>();
            foreach (var l in a)
            {
                var matches = b.Where(r => Equals(l[1], r[1]) && (long)l[2]! <= (long)r[2]!).ToList();
                expected.AddRange(matches.Select(r => new object?[] { l[0], l[2], r[0], r[2] }));
                if (matches.Count == 0 && join != "JOIN")
                {
                    expected.Add([l[0], l[2], null, null]);
                }
            }

            if (join == "FULL JOIN")
            {
                expected.AddRange(b.Where(r => !a.Any(l => Equals(l[1], r[1]) && (long)l[2]! <= (long)r[2]!)).Select(r => new object?[] { null, null, r[0], r[2] }));
            }

            Assert.Equal(SqlJobs.Sorted(expected), result);
        }, iter: 30);
    }

    private static SqlColumn[] Columns(string id, string key, string value) =>
        [new SqlColumn(id, SqlType.Int.WithNullable(false)), new SqlColumn(key, SqlType.BigInt.WithNullable(false)), new SqlColumn(value, SqlType.BigInt.WithNullable(false))];

    /// <summary>The changelog of applying the operations to a table keyed by id (a null value deletes).</summary>
    private static List<Change<Row>> Changelog((int Id, int Group, long? Value)[] operations) =>
        TableChangelogs.Of(operations.Select(o => (o.Id, o.Value is { } value ? new Row(o.Id, (long)o.Group, value) : null)));

    private static List<Row> Apply(IEnumerable<Change<Row>> changes) => TableChangelogs.Apply(changes);
}
