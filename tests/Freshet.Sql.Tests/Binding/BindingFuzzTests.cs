using CsCheck;
using Freshet.Sql.Ast;
using Freshet.Sql.Binding;
using Freshet.Sql.Catalog;
using Freshet.Sql.Parsing;
using Freshet.Sql.Tests.Parsing;

namespace Freshet.Sql.Tests.Binding;

/// <summary>
/// The parser fuzz property carried through the binder: whatever random or mutated text parses, applying it to a
/// catalog or binding it throws nothing but the SQL front end's own exceptions.
/// </summary>
public sealed class BindingFuzzTests
{
    private const string Tables = """
        CREATE TABLE t (a INT, b STRING, c DECIMAL(10, 2), ts TIMESTAMP(3), x INT, arr ARRAY<INT>, m MAP<STRING, INT>,
          r ROW<f ROW<g INT>>, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'kafka');
        CREATE TABLE u (id INT, a INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'kafka');
        CREATE TABLE s (a BIGINT, b STRING) WITH ('connector' = 'blackhole');
        CREATE VIEW q AS SELECT a, b, ts FROM t;
        """;

    private static readonly string[] BindingSeeds =
    [
        .. FuzzTests.Seeds,
        "SELECT a, COUNT(*), SUM(c) FROM t WHERE b LIKE 'x%' GROUP BY a HAVING MAX(x) > 1",
        "SELECT window_start, window_end, COUNT(DISTINCT b) FROM TABLE(HOP(TABLE t, DESCRIPTOR(ts), INTERVAL '1' SECOND, INTERVAL '5' SECOND)) GROUP BY window_start, window_end",
        "SELECT t.a, u.id FROM t LEFT JOIN u ON t.a = u.id AND t.ts BETWEEN u.ts - INTERVAL '1' HOUR AND u.ts",
        "INSERT INTO s SELECT CAST(a AS BIGINT), UPPER(b) FROM q UNION ALL SELECT 1, 'x' FROM u",
        "SELECT a, SUM(x) OVER (PARTITION BY a ORDER BY ts ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) FROM t",
        "WITH w AS (SELECT a, b FROM t) SELECT * FROM w JOIN u USING (a) WHERE a IN (SELECT id FROM u)",
        "SELECT r.f.g, arr[1], m['k'], COALESCE(a, x, 0), IF(a > 0, b, 'n'), NULLIF(a, 1), EXTRACT(DAY FROM ts) FROM t",
    ];

    [Fact]
    public void Bind_MutatedStatements_ThrowsOnlySqlExceptions()
    {
        var reachedBinder = 0;
        Gen.Select(Gen.Int[0, BindingSeeds.Length - 1], Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1000], Gen.Int[0, FuzzTests.Vocabulary.Length - 1]).Array[0, 3])
            .Select((seed, mutations) => FuzzTests.Mutate(BindingSeeds[seed], mutations))
            .Sample(
                sql =>
                {
                    if (BindOrRefuse(sql))
                    {
                        Interlocked.Increment(ref reachedBinder);
                    }
                },
                iter: 50_000);

        // The property only means something if many mutants get past the parser.
        Assert.True(reachedBinder > 5_000, $"Only {reachedBinder} of 50000 mutants parsed");
    }

    [Fact]
    public void Bind_RandomTokenSequences_ThrowsOnlySqlExceptions() =>
        Gen.Int[0, FuzzTests.Vocabulary.Length - 1].Array[0, 30]
            .Select(indexes => string.Join(" ", indexes.Select(i => FuzzTests.Vocabulary[i])))
            .Sample(sql => { _ = BindOrRefuse(sql); }, iter: 10_000);

    [Fact]
    public void Bind_SeedStatements_BindWithoutError()
    {
        var catalog = Catalog();
        foreach (var sql in BindingSeeds.Skip(FuzzTests.Seeds.Length))
        {
            _ = SqlBinder.Bind(SqlParser.ParseStatement(sql), catalog);
        }
    }

    /// <summary>Parses, then applies or binds each statement; returns whether the text parsed.</summary>
    private static bool BindOrRefuse(string sql)
    {
        IReadOnlyList<SqlStatement> statements;
        try
        {
            statements = SqlParser.ParseScript(sql);
        }
        catch (SqlParseException)
        {
            return false;
        }

        var catalog = Catalog();
        foreach (var statement in statements)
        {
            try
            {
                if (statement is CreateTableStatement or CreateViewStatement or DropStatement)
                {
                    catalog.Apply(statement);
                }
                else if (statement is DescribeStatement describe)
                {
                    _ = catalog.Describe(describe);
                }
                else
                {
                    _ = SqlBinder.Bind(statement, catalog);
                }
            }
            catch (SqlValidationException error)
            {
                Assert.True(error.Line >= 1 && error.Column >= 1, $"'{sql}': {error.Message}");
                Assert.False(string.IsNullOrWhiteSpace(error.Problem));
            }
        }

        return true;
    }

    private static SqlCatalog Catalog()
    {
        var catalog = new SqlCatalog();
        foreach (var statement in SqlParser.ParseScript(Tables))
        {
            catalog.Apply(statement);
        }

        return catalog;
    }
}
