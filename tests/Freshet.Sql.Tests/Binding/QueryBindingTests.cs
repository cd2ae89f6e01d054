using Freshet.Sql.Binding;
using Freshet.Sql.Catalog;
using Freshet.Sql.Parsing;

namespace Freshet.Sql.Tests.Binding;

/// <summary>Valid queries bind with the output schema and changelog kind the documented rules give.</summary>
public sealed class QueryBindingTests
{
    private const string Tables = """
        CREATE TABLE t (a INT, b STRING, ts TIMESTAMP(3), pt AS PROCTIME(), WATERMARK FOR ts AS ts) WITH ('connector' = 'kafka');
        CREATE TABLE u (a INT NOT NULL, d DOUBLE) WITH ('connector' = 'kafka');
        CREATE TABLE up (k INT, v STRING, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector' = 'upsert-kafka');
        """;

    public static TheoryData<string, string, ChangelogKind> Cases() => new()
    {
        { "SELECT a, b FROM t WHERE a > 1", "a INT, b STRING", ChangelogKind.AppendOnly },
        { "SELECT * FROM t", "a INT, b STRING, ts TIMESTAMP(3) *ROWTIME*, pt TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*", ChangelogKind.AppendOnly },
        { "SELECT a, COUNT(*) AS n, AVG(a) FROM t GROUP BY a", "a INT, n BIGINT NOT NULL, EXPR$2 INT", ChangelogKind.Updating },
        { "SELECT COUNT(DISTINCT b) FROM t", "EXPR$0 BIGINT NOT NULL", ChangelogKind.Updating },
        { "SELECT DISTINCT a FROM t", "a INT", ChangelogKind.Updating },
        { "SELECT * FROM up", "k INT NOT NULL, v STRING", ChangelogKind.Updating },
        { "SELECT t.a, d FROM t JOIN u ON t.a = u.a", "a INT, d DOUBLE", ChangelogKind.AppendOnly },
        { "SELECT t.a, u.a, d FROM t LEFT JOIN u ON t.a = u.a", "a INT, a INT, d DOUBLE", ChangelogKind.Updating },
        { "SELECT a, b, d FROM t JOIN u USING (a)", "a INT, b STRING, d DOUBLE", ChangelogKind.AppendOnly },
        { "SELECT ts FROM t JOIN u USING (a)", "ts TIMESTAMP(3)", ChangelogKind.AppendOnly },
        { "WITH w (x) AS (SELECT a FROM t) SELECT x + 1 FROM w", "EXPR$0 INT", ChangelogKind.AppendOnly },
        { "SELECT a FROM t UNION ALL SELECT a FROM u", "a INT", ChangelogKind.AppendOnly },
        { "SELECT a FROM t UNION SELECT a FROM u", "a INT", ChangelogKind.Updating },
        { "SELECT a, SUM(a) OVER (PARTITION BY b ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) AS s FROM t", "a INT, s INT", ChangelogKind.AppendOnly },
        { "SELECT * FROM (SELECT a, ROW_NUMBER() OVER (PARTITION BY b ORDER BY a DESC) AS rn FROM t) WHERE rn <= 3", "a INT, rn BIGINT NOT NULL", ChangelogKind.Updating },
        { "SELECT window_start, window_time, COUNT(*) FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, window_time", "window_start TIMESTAMP(3) NOT NULL, window_time TIMESTAMP(3) NOT NULL *ROWTIME*, EXPR$2 BIGINT NOT NULL", ChangelogKind.AppendOnly },
        { "SELECT window_end, b FROM TABLE(SESSION(TABLE t PARTITION BY b, DESCRIPTOR(pt), INTERVAL '5' SECOND)) GROUP BY window_start, window_end, b", "window_end TIMESTAMP(3) NOT NULL, b STRING", ChangelogKind.AppendOnly },
        { "SELECT window_start, COUNT(*) FROM TABLE(CUMULATE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '1' HOUR)) GROUP BY window_start", "window_start TIMESTAMP(3) NOT NULL, EXPR$1 BIGINT NOT NULL", ChangelogKind.Updating },
        { "SELECT CAST(b AS INT), TRY_CAST(b AS DATE), CASE a WHEN 1 THEN 'one' ELSE 'many' END FROM t", "EXPR$0 INT, EXPR$1 DATE, EXPR$2 VARCHAR(4) NOT NULL", ChangelogKind.AppendOnly },
        { "SELECT UPPER(b) || 'x', CHAR_LENGTH(b), ROUND(d, 1), DATE_FORMAT(ts, 'yyyy'), CURRENT_TIMESTAMP FROM t, u", "EXPR$0 STRING, EXPR$1 INT, EXPR$2 DOUBLE, EXPR$3 STRING, EXPR$4 TIMESTAMP_LTZ(3) NOT NULL", ChangelogKind.AppendOnly },
        { "SELECT a FROM t WHERE a IN (SELECT a FROM u) AND EXISTS (SELECT 1 FROM u)", "a INT", ChangelogKind.AppendOnly },
        { "VALUES (1, 'a'), (2, NULL)", "EXPR$0 INT NOT NULL, EXPR$1 CHAR(1)", ChangelogKind.AppendOnly },
        { "SELECT a, ts FROM t ORDER BY ts", "a INT, ts TIMESTAMP(3) *ROWTIME*", ChangelogKind.AppendOnly },
        { "SELECT a FROM t ORDER BY a LIMIT 3", "a INT", ChangelogKind.Updating },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bind_Query_HasSchemaAndChangelog(string sql, string schema, ChangelogKind changelog)
    {
        var bound = Assert.IsType<BoundQueryStatement>(SqlBinder.Bind(SqlParser.ParseStatement(sql), Catalog()));
        Assert.Equal(schema, string.Join(", ", bound.Query.Columns));
        Assert.Equal(changelog, bound.Query.Changelog);
    }

    [Fact]
    public void Bind_StatementSetAndExplain_BindEachInsert()
    {
        var catalog = Catalog();
        catalog.Apply(SqlParser.ParseStatement("CREATE TABLE out (a BIGINT, b STRING) WITH ('connector' = 'print')"));
        var set = Assert.IsType<BoundStatementSet>(SqlBinder.Bind(SqlParser.ParseStatement(
            "EXECUTE STATEMENT SET BEGIN INSERT INTO out SELECT a, b FROM t; INSERT INTO out (b) SELECT v FROM up; END"), catalog));
        Assert.Equal(2, set.Inserts.Count);
        Assert.IsType<BoundCast>(set.Inserts[0].Values[0]);
        Assert.IsType<BoundLiteral>(set.Inserts[1].Values[0]);
        var explain = Assert.IsType<BoundExplain>(SqlBinder.Bind(SqlParser.ParseStatement("EXPLAIN SELECT a FROM t"), catalog));
        Assert.IsType<BoundQueryStatement>(explain.Statement);
    }

    [Fact]
    public void Bind_GroupedExpression_MayUseGroupKeyInsideExpressions()
    {
        var bound = SqlBinder.Bind(SqlParser.ParseStatement("SELECT a + 1, UPPER(b) FROM t GROUP BY a, UPPER(b) HAVING COUNT(*) > 1"), Catalog());
        var select = Assert.IsType<BoundSelect>(Assert.IsType<BoundQueryStatement>(bound).Query);
        Assert.True(select.IsAggregate);
        Assert.False(select.IsWindowAggregate);
        Assert.Equal(2, select.GroupBy.Count);
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
