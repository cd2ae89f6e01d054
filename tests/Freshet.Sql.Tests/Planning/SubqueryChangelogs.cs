using CsCheck;
using Freshet.Sql.Typing;
using Freshet.Streaming;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Tests.Planning;

/// <summary>
/// Random changelogs of small tables (id INT NOT NULL, k BIGINT NOT NULL, v BIGINT) keyed by id, with few distinct
/// values and NULLs, so that rows of two tables often match: the inputs of the set-operation and subquery tests.
/// </summary>
internal static class SubqueryChangelogs
{
    /// <summary>Operations on row id (0..5): upsert (k 0..2, v 0..3 or NULL) or, one time in five, delete.</summary>
    public static readonly Gen<(int Id, int K, int V, bool Delete)[]> Operations =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 2], Gen.Int[0, 4], Gen.Int[0, 4]).Select((id, k, v, d) => (id, k, v, d == 0)).Array[0, 30];

    /// <summary>The columns of a view: id INT NOT NULL, <paramref name="key"/> BIGINT NOT NULL, <paramref name="value"/> BIGINT.</summary>
    public static SqlColumn[] Columns(string key, string value) =>
        [new SqlColumn("id", SqlType.Int.WithNullable(false)), new SqlColumn(key, SqlType.BigInt.WithNullable(false)), new SqlColumn(value, SqlType.BigInt)];

    /// <summary>The changelog of applying the operations to a table keyed by id: +I, -U/+U pairs, -D.</summary>
    public static List<Change<Row>> Changelog((int Id, int K, int V, bool Delete)[] operations) =>
        TableChangelogs.Of(operations.Select(o => (o.Id, o.Delete ? null : new Row(o.Id, (long)o.K, o.V == 4 ? null : (long)o.V))));

    /// <summary>The rows a changelog leaves (a withdrawal removes one copy of its row).</summary>
    public static List<Row> Apply(IEnumerable<Change<Row>> changes) => TableChangelogs.Apply(changes);

    /// <summary>Runs <paramref name="query"/> over views a (id, k, x) and b (id, k, y) holding the two changelogs, and
    /// returns the rows its changelog leaves. Keyed state is on the heap, or in RocksDB under
    /// <paramref name="rocksDbDirectory"/> when it is given.</summary>
    public static IReadOnlyList<string> Run(string query, IEnumerable<Change<Row>> left, IEnumerable<Change<Row>> right, int parallelism, string? rocksDbDirectory = null)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions
        {
            Parallelism = parallelism,
            BufferTimeout = TimeSpan.FromMilliseconds(5),
            StateBackend = rocksDbDirectory is null ? StateBackend.Heap : StateBackend.RocksDb(rocksDbDirectory),
        });
        env.Sql.CreateTemporaryView("a", env.FromCollection(left.ToArray()), Columns("k", "x"));
        env.Sql.CreateTemporaryView("b", env.FromCollection(right.ToArray()), Columns("k", "y"));
        return SqlJobs.Materialize(SqlJobs.RunAsync(env, query).GetAwaiter().GetResult());
    }
}
