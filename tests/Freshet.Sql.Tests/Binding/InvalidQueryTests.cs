using Freshet.Sql.Binding;
using Freshet.Sql.Parsing;

namespace Freshet.Sql.Tests.Binding;

/// <summary>
/// Statements that parse but do not bind give <see cref="SqlValidationException"/> with the message and the
/// position of the offending syntax. Each case names the text the error must point at (its first occurrence).
/// </summary>
public sealed class InvalidQueryTests
{
    private const string Tables = """
        CREATE TABLE t (a INT, b STRING, c DECIMAL(10, 2), ts TIMESTAMP(3), arr ARRAY<INT>, r ROW<x INT, y STRING>,
          WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'kafka');
        CREATE TABLE u (a INT, d DOUBLE, ts TIMESTAMP(3)) WITH ('connector' = 'kafka');
        CREATE TABLE sink (a INT, b STRING) WITH ('connector' = 'kafka');
        CREATE TABLE strict_sink (a INT NOT NULL, b STRING, PRIMARY KEY (a) NOT ENFORCED) WITH ('connector' = 'upsert-kafka');
        CREATE VIEW v AS SELECT a, b FROM t;
        """;

    public static TheoryData<string, string, string> Cases() => new()
    {
        // Names.
        { "SELECT pric FROM bid", "pric", "Column 'pric' not found in table 'bid'; did you mean 'price'?" },
        { "SELECT x FROM t", "x", "Column 'x' not found in table 't' at" },
        { "SELECT a FROM t, u", "a FROM", "Column 'a' is ambiguous; it is in 't' and 'u'" },
        { "SELECT * FROM tt", "tt", "Table 'tt' not found; did you mean 't'?" },
        { "SELECT t.zz FROM t", "zz", "Column 'zz' not found in table 't'" },
        { "SELECT q.a FROM t", "q.a", "Table or column 'q' not found" },
        { "SELECT r.z FROM t", "z FROM", "Field 'z' not found in ROW<`x` INT, `y` STRING>" },
        { "SELECT a.x FROM t", "x FROM", "Cannot access field 'x' of a value of type INT" },
        { "SELECT * FROM t JOIN t ON t.a = t.a", "t ON", "Table name 't' is used twice in FROM; give one an alias" },
        { "SELECT x.* FROM t", "x.*", "Table 'x' not found in FROM" },
        { "SELECT a FROM cat.db.t", "cat.db.t", "Qualified name 'cat.db.t' is not supported; catalogs and databases are not" },
        { "SELECT a FROM t JOIN u USING (d)", "d)", "USING column 'd' not found in the left side of the join" },
        { "WITH q AS (SELECT a FROM t), q AS (SELECT a FROM t) SELECT * FROM q", "q AS (SELECT a FROM t) SELECT", "WITH defines 'q' twice" },
        { "SELECT * FROM (SELECT a, b FROM t) AS s (x)", "(SELECT a, b", "'s' names 1 columns, but its query has 2" },
        // Types.
        { "SELECT b + a FROM t", "b + a", "Cannot apply '+' to STRING and INT" },
        { "SELECT a || b FROM t", "a || b", "Cannot apply '||' to INT and STRING" },
        { "SELECT * FROM t WHERE a = b", "a = b", "Cannot compare INT and STRING with '='" },
        { "SELECT * FROM t WHERE a", "a", "WHERE must be a boolean expression, but is INT" },
        { "SELECT NOT a FROM t", "NOT a", "Cannot apply 'NOT' to INT" },
        { "SELECT -b FROM t", "-b", "Cannot apply '-' to STRING" },
        { "SELECT CASE WHEN a > 0 THEN a ELSE b END FROM t", "b END", "CASE branches have incompatible types INT and STRING" },
        { "SELECT CAST(arr AS INT) FROM t", "CAST", "Cannot cast ARRAY<INT> to INT" },
        { "SELECT UPPER(a) FROM t", "UPPER", "Cannot apply 'UPPER' to INT" },
        { "SELECT SUBSTRING(b, 'x') FROM t", "SUBSTRING", "Cannot apply 'SUBSTRING' to STRING, CHAR(1)" },
        { "SELECT MOD(c, 2) FROM t", "MOD", "Cannot apply 'MOD' to DECIMAL(10, 2), INT" },
        { "SELECT * FROM t WHERE b LIKE 1", "b LIKE", "Cannot apply 'LIKE' to STRING and INT" },
        { "SELECT a IN (1, 'x') FROM t", "'x'", "Cannot compare INT and CHAR(1) in IN list" },
        { "SELECT EXTRACT(HOUR FROM b) FROM t", "EXTRACT", "Cannot EXTRACT HOUR from STRING" },
        { "SELECT ts - ts FROM t", "ts - ts", "Cannot apply '-' to TIMESTAMP(3) and TIMESTAMP(3)" },
        { "SELECT arr['k'] FROM t", "arr[", "Cannot apply '[]' to ARRAY<INT> and CHAR(1)" },
        { "SELECT DATE '2024-13-45' FROM t", "DATE", "Invalid DATE literal '2024-13-45'" },
        { "SELECT CAST(a AS DECIMAL(40, 2)) FROM t", "DECIMAL", "DECIMAL precision must be between 1 and 38, but is 40" },
        { "SELECT a FROM t UNION ALL SELECT b FROM t", "SELECT b", "UNION column 1 ('a') has incompatible types INT and STRING" },
        { "SELECT a FROM t UNION ALL SELECT a, b FROM t", "SELECT a, b", "UNION inputs have 1 and 2 columns" },
        { "VALUES (1, 2), (3)", "3", "VALUES rows have 2 and 1 values" },
        // Functions and aggregates.
        { "SELECT FOO(a) FROM t", "FOO", "No function named 'FOO'" },
        { "SELECT UPPPER(b) FROM t", "UPPPER", "No function named 'UPPPER'; did you mean 'UPPER'?" },
        { "SELECT UPPER(b, b) FROM t", "UPPER", "Function UPPER takes 1 argument, but got 2" },
        { "SELECT * FROM t WHERE COUNT(*) > 1", "COUNT", "Aggregate function COUNT is not allowed in WHERE" },
        { "SELECT 1 FROM t GROUP BY COUNT(*)", "COUNT", "Aggregate function COUNT is not allowed in GROUP BY" },
        { "SELECT SUM(MAX(a)) FROM t", "MAX", "Aggregate function MAX cannot be nested in another aggregate" },
        { "SELECT a, b, COUNT(*) FROM t GROUP BY a", "b,", "Expression 'b' is not being grouped" },
        { "SELECT auction, COUNT(*) FROM bid", "auction", "Expression 'auction' is not being grouped" },
        { "SELECT a FROM t GROUP BY b HAVING a > 1", "a FROM", "Expression 'a' is not being grouped" },
        { "SELECT SUM(b) FROM t", "SUM", "Cannot apply 'SUM' to STRING" },
        { "SELECT UPPER(DISTINCT b) FROM t", "UPPER", "DISTINCT is only allowed in aggregate functions, not in UPPER" },
        { "SELECT ROW_NUMBER() FROM t", "ROW_NUMBER", "ROW_NUMBER needs an OVER window" },
        { "SELECT ROW_NUMBER() OVER (PARTITION BY a) FROM t", "(PARTITION", "ROW_NUMBER OVER (...) needs an ORDER BY" },
        { "SELECT SUM(a) OVER (ORDER BY b) FROM t", "b)", "OVER aggregation must be ordered by one time attribute ascending, but 'b' is STRING" },
        { "SELECT a FROM t GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE)", "TUMBLE", "Group window function TUMBLE(...) is not supported; use the window table function FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), ...))" },
        // Window table functions and joins.
        { "SELECT * FROM TABLE(TUMBLE(TABLE u, DESCRIPTOR(ts), INTERVAL '1' MINUTE))", "ts)", "The time column 'ts' of TUMBLE must be a time attribute (declared by WATERMARK, or PROCTIME()), but is TIMESTAMP(3)" },
        { "SELECT * FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts)))", "TABLE(", "TUMBLE takes TUMBLE(TABLE t, DESCRIPTOR(ts), size [, offset])" },
        { "SELECT * FROM TABLE(HOP(TABLE t, DESCRIPTOR(ts), 5, INTERVAL '1' MINUTE))", "5", "Argument 3 of HOP must be a day-time INTERVAL literal, but is INT" },
        { "SELECT * FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(tss), INTERVAL '1' MINUTE))", "tss", "Column 'tss' not found in table 't'; did you mean 'ts'?" },
        { "SELECT * FROM t JOIN u ON t.a", "t.a", "A join condition must be a boolean expression, but is INT" },
        { "SELECT * FROM t JOIN u ON COUNT(*) > 0", "COUNT", "Aggregate function COUNT is not allowed in the ON condition of a join" },
        { "SELECT * FROM t FOR SYSTEM_TIME AS OF t.ts", "t.ts", "FOR SYSTEM_TIME AS OF is only allowed on the right side of a join (a temporal join)" },
        { "SELECT a FROM t INTERSECT SELECT a, b FROM t", "SELECT a, b", "INTERSECT inputs have 1 and 2 columns" },
        { "SELECT a FROM t EXCEPT SELECT ts FROM t", "SELECT ts", "EXCEPT column 1 ('a') has incompatible types INT and TIMESTAMP(3)" },
        { "SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.zz)", "zz)", "Column 'zz' not found in table 't'" },
        { "SELECT 1 FROM t LIMIT zz", "zz", "Column 'zz' not found" },
        // INSERT.
        { "INSERT INTO sink SELECT a FROM t", "SELECT", "INSERT INTO 'sink' has 2 target columns, but the query produces 1" },
        { "INSERT INTO sink SELECT b, a FROM t", "b,", "Cannot assign STRING to column 'a' of type INT in table 'sink'" },
        { "INSERT INTO sinkk SELECT a, b FROM t", "sinkk", "Table 'sinkk' not found; did you mean 'sink'?" },
        { "INSERT INTO v SELECT a, b FROM t", "v", "Cannot INSERT into view 'v'" },
        { "INSERT INTO sink (a, x) SELECT a, b FROM t", "x)", "Column 'x' not found in table 'sink'" },
        { "INSERT INTO sink (a, a) SELECT a, a FROM t", "a) SELECT", "Column 'a' is listed twice" },
        { "INSERT INTO strict_sink (b) SELECT b FROM t", "strict_sink", "Column 'a' of table 'strict_sink' is NOT NULL and gets no value" },
        { "INSERT INTO sink SELECT a, MAX(b) FROM t GROUP BY a", "SELECT", "Table 'sink' (connector 'kafka') accepts only append-only rows, but the query produces updates" },
        { "CREATE TABLE x (a INT) WITH ('connector' = 'kafka')", "CREATE", "Catalog statements are applied with SqlCatalog.Apply, not bound" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bind_InvalidStatement_ThrowsWithPositionAndMessage(string sql, string pointAt, string message)
    {
        var catalog = NexmarkBindingTests.NexmarkCatalog();
        foreach (var statement in SqlParser.ParseScript(Tables))
        {
            catalog.Apply(statement);
        }

        var error = Assert.Throws<SqlValidationException>(() => SqlBinder.Bind(SqlParser.ParseStatement(sql), catalog));
        Assert.StartsWith(message, error.Problem + " at");
        Assert.Equal(1, error.Line);
        Assert.Equal(sql.IndexOf(pointAt, StringComparison.Ordinal) + 1, error.Column);
        Assert.EndsWith($"at line 1, column {error.Column}", error.Message);
    }

    [Fact]
    public void Corpus_HasAtLeastFortyCases() => Assert.True(Cases().Count >= 40);
}
