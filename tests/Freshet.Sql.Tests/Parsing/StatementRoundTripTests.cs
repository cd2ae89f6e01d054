using Freshet.Sql.Ast;
using Freshet.Sql.Parsing;
using Freshet.Sql.Printing;

namespace Freshet.Sql.Tests.Parsing;

public sealed class StatementRoundTripTests
{
    public static TheoryData<string> Statements() =>
    [
        // CREATE TABLE
        "CREATE TABLE t (a INT)",
        """
        CREATE TEMPORARY TABLE IF NOT EXISTS cat.db.orders (
          order_id BIGINT NOT NULL,
          price DECIMAL(10, 2),
          amount DECIMAL(5),
          currency STRING,
          code CHAR(3), name VARCHAR(20), label VARCHAR, bin BINARY(4), vbin VARBINARY(8), blob BYTES,
          flag BOOLEAN, tiny TINYINT, small SMALLINT, i INTEGER, f FLOAT, d DOUBLE PRECISION, r REAL,
          day DATE, t TIME(3), ts TIMESTAMP(3), ts2 TIMESTAMP(6) WITHOUT TIME ZONE,
          ltz TIMESTAMP_LTZ(3), ltz2 TIMESTAMP(3) WITH LOCAL TIME ZONE,
          tags ARRAY<STRING>, tags2 STRING ARRAY, bag MULTISET<INT>, attrs MAP<STRING, INT NOT NULL>,
          addr ROW<street STRING, zip INT 'postal code'>, addr2 ROW(city STRING, geo ROW<lat DOUBLE, lon DOUBLE>),
          total AS price * amount COMMENT 'computed',
          event_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
          `offset` BIGINT METADATA VIRTUAL,
          `partition` INT METADATA,
          WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
          CONSTRAINT pk PRIMARY KEY (order_id) NOT ENFORCED
        ) COMMENT 'orders' WITH (
          'connector' = 'kafka',
          'topic' = 'orders',
          'properties.bootstrap.servers' = 'localhost:9092',
          'scan.startup.mode' = 'earliest-offset',
          'format' = 'json'
        )
        """,
        "CREATE TABLE u (id BIGINT PRIMARY KEY NOT ENFORCED, v STRING) WITH ('connector' = 'upsert-kafka', 'key.format' = 'raw')",
        "CREATE TABLE w (r ROW<ts TIMESTAMP(3)>, WATERMARK FOR r.ts AS r.ts - INTERVAL '1' MINUTE)",
        // Views, DROP, SHOW, DESCRIBE, SET, RESET, EXPLAIN
        "CREATE VIEW v AS SELECT a FROM t",
        "CREATE TEMPORARY VIEW IF NOT EXISTS v (x, y) AS SELECT a, b FROM t WHERE a > 1",
        "DROP TABLE t",
        "DROP TEMPORARY TABLE IF EXISTS db.t",
        "DROP VIEW IF EXISTS v",
        "SHOW TABLES",
        "SHOW VIEWS",
        "DESCRIBE t",
        "DESC db.t",
        "SET 'parallelism.default' = '4'",
        "SET",
        "RESET 'parallelism.default'",
        "RESET",
        "EXPLAIN SELECT * FROM t",
        "EXPLAIN PLAN FOR INSERT INTO s SELECT * FROM t",
        "EXPLAIN STATEMENT SET BEGIN INSERT INTO s SELECT * FROM t; END",
        // INSERT and statement sets
        "INSERT INTO s SELECT * FROM t",
        "INSERT INTO s (a, b) SELECT x, y FROM t",
        "INSERT INTO s VALUES (1, 'a'), (2, 'b')",
        "INSERT INTO s (SELECT a FROM t)",
        "EXECUTE STATEMENT SET BEGIN INSERT INTO s1 SELECT a FROM t; INSERT INTO s2 SELECT b FROM t; END",
        // Queries
        "SELECT 1",
        "SELECT DISTINCT a, b AS bb, c cc, t.*, db.t.* FROM t",
        "SELECT ALL * FROM t",
        "SELECT a FROM t WHERE a IS NOT NULL AND b IS TRUE AND c IS NOT FALSE AND d IS UNKNOWN",
        "SELECT a, COUNT(*), COUNT(DISTINCT b), SUM(c) FILTER (WHERE c > 0) FROM t GROUP BY a HAVING COUNT(*) > 1",
        "SELECT a FROM t ORDER BY a DESC NULLS LAST, b ASC NULLS FIRST, c LIMIT 10",
        "SELECT a FROM t UNION ALL SELECT a FROM u UNION SELECT a FROM v",
        "SELECT a FROM t INTERSECT SELECT a FROM u EXCEPT SELECT a FROM v",
        "SELECT a FROM t UNION ALL (SELECT a FROM u UNION ALL SELECT a FROM v)",
        "(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL SELECT a FROM u",
        "SELECT a FROM t MINUS SELECT a FROM u",
        "WITH x AS (SELECT a FROM t), y (c) AS (SELECT b FROM u) SELECT * FROM x, y",
        "SELECT * FROM a JOIN b ON a.id = b.id INNER JOIN c ON b.id = c.id",
        "SELECT * FROM a LEFT JOIN b ON a.id = b.id LEFT OUTER JOIN c ON TRUE RIGHT JOIN d ON 1 = 1 FULL OUTER JOIN e ON a.x = e.x",
        "SELECT * FROM a CROSS JOIN b, c AS cc (x, y) JOIN d USING (id, k)",
        "SELECT * FROM (SELECT a FROM t) AS q WHERE q.a > 0",
        "SELECT * FROM (SELECT a FROM t) q",
        "SELECT o.id, r.rate FROM orders AS o JOIN rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency",
        "SELECT window_start, window_end, SUM(price) FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES)) GROUP BY window_start, window_end",
        "SELECT * FROM TABLE(HOP(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '5' MINUTE, INTERVAL '10' MINUTE)) AS w",
        "SELECT * FROM TABLE(CUMULATE(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '2' MINUTE, INTERVAL '10' MINUTE))",
        "SELECT * FROM TABLE(SESSION(TABLE bid PARTITION BY item, DESCRIPTOR(bidtime), INTERVAL '5' MINUTE))",
        "SELECT * FROM TABLE(TUMBLE(DATA => TABLE bid, TIMECOL => DESCRIPTOR(bidtime), SIZE => INTERVAL '10' MINUTE))",
        "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts DESC) AS rn FROM t) WHERE rn = 1",
        "SELECT a, SUM(x) OVER (PARTITION BY a ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) FROM t",
        "SELECT a, AVG(x) OVER (PARTITION BY a ORDER BY ts ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) FROM t",
        "SELECT a, MAX(x) OVER (ORDER BY ts ROWS UNBOUNDED PRECEDING), MIN(x) OVER (ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM t",
        "SELECT a, SUM(x) OVER w, COUNT(*) OVER (w ROWS 2 PRECEDING) FROM t WINDOW w AS (PARTITION BY a ORDER BY ts)",
        "SELECT CAST(a AS BIGINT), TRY_CAST(b AS DECIMAL(10, 2)), CAST(c AS ARRAY<INT>) FROM t",
        "SELECT CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END, CASE b WHEN 1 THEN 'one' END FROM t",
        "SELECT a FROM t WHERE a BETWEEN 1 AND 10 AND b NOT BETWEEN c - 1 AND c + 1",
        "SELECT a FROM t WHERE a IN (1, 2, 3) AND b NOT IN ('x', 'y') AND c IN (SELECT c FROM u) AND d NOT IN (SELECT d FROM u)",
        "SELECT a FROM t WHERE name LIKE 'a%' AND name NOT LIKE 'a!_%' ESCAPE '!'",
        "SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a) AND NOT EXISTS (SELECT 1 FROM v)",
        "SELECT (SELECT MAX(b) FROM u) AS m, a FROM t",
        "SELECT -a, +b, - -c, NOT d, a || 'x' || b, a % 3, a / 2 * 3 FROM t",
        "SELECT r.f, arr[1], m['k'], (r).f, arr[1].x, f(x).y FROM t",
        "SELECT EXTRACT(YEAR FROM ts), EXTRACT(DOW FROM ts), EXTRACT(EPOCH FROM ts) FROM t",
        "SELECT DATE '2024-01-31', TIME '12:00:00', TIMESTAMP '2024-01-31 12:00:00.000', INTERVAL '1:30' HOUR TO MINUTE, INTERVAL '1-2' YEAR TO MONTH, INTERVAL '1 02:03:04' DAY TO SECOND",
        "SELECT TRUE, FALSE, NULL, 1.5, .5, 1e10, 2.5E-3, 'it''s' FROM t",
        "SELECT CURRENT_TIMESTAMP, CURRENT_DATE, LOCALTIMESTAMP, PROCTIME(), `select`.`from`, `a``b` FROM `table`",
        "SELECT a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b FROM t",
        "SELECT a FROM t WHERE a <> 1 AND b != 2 AND c <= 3 AND d >= 4 AND e < 5 AND f > 6",
        "VALUES (1), (2)",
        "SELECT ARRAY[1, 2, a], MAP['k', 1, 'l', b], ROW(a, 'x'), ARRAY[ARRAY[1]][1] FROM t",
        "SELECT SUBSTRING(s, 1, 2), TRIM(s), POSITION('a', s), FLOOR(x), CEIL(SUBSTRING(s, CASE WHEN a IN (1) THEN 1 END)) FROM t",
        "SELECT * FROM t -- trailing comment",
        "/* leading */ SELECT a /* inner */ FROM t;",
    ];

    [Theory]
    [MemberData(nameof(Statements))]
    public void ParsePrintParse_EveryStatementKind_GivesEqualTree(string sql) => RoundTrip.AssertStatement(sql);

    [Fact]
    public void ParseStatement_CreateTable_BuildsColumnsWatermarkKeyAndOptions()
    {
        var create = Assert.IsType<CreateTableStatement>(SqlParser.ParseStatement(
            "CREATE TABLE t (id BIGINT NOT NULL, ts TIMESTAMP(3), total AS id * 2, " +
            "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'kafka')"));
        Assert.Equal("t", create.Name.Parts[0].Value);
        Assert.Equal(3, create.Columns.Count);
        var id = Assert.IsType<PhysicalColumn>(create.Columns[0]);
        Assert.Equal(new ScalarType(ScalarTypeName.BigInt) { NotNull = true }, id.Type);
        Assert.Equal(new ScalarType(ScalarTypeName.Timestamp, 3), Assert.IsType<PhysicalColumn>(create.Columns[1]).Type);
        Assert.IsType<ComputedColumn>(create.Columns[2]);
        Assert.Equal("ts", create.Watermark!.Column[0].Value);
        Assert.Equal(new IntervalLiteral("5", TimeUnit.Second), Assert.IsType<BinaryExpression>(create.Watermark.Expression).Right);
        Assert.Equal("id", create.PrimaryKey!.Columns[0].Value);
        Assert.Equal(new TableOption("connector", "kafka"), create.Options[0]);
    }

    [Fact]
    public void ParseStatement_Synonyms_FoldToOneSpelling()
    {
        var create = Assert.IsType<CreateTableStatement>(SqlParser.ParseStatement(
            "CREATE TABLE t (a INTEGER, b NUMERIC(5, 1), c TIMESTAMP(3) WITH LOCAL TIME ZONE, d STRING ARRAY)"));
        Assert.Equal(new ScalarType(ScalarTypeName.Int), ((PhysicalColumn)create.Columns[0]).Type);
        Assert.Equal(new ScalarType(ScalarTypeName.Decimal, 5, 1), ((PhysicalColumn)create.Columns[1]).Type);
        Assert.Equal(new ScalarType(ScalarTypeName.TimestampLtz, 3), ((PhysicalColumn)create.Columns[2]).Type);
        Assert.Equal(new ArrayType(new ScalarType(ScalarTypeName.String)), ((PhysicalColumn)create.Columns[3]).Type);
        Assert.Equal(
            "CREATE TABLE t (a INT, b DECIMAL(5, 1), c TIMESTAMP_LTZ(3), d ARRAY<STRING>)",
            SqlPrinter.Print(create));
    }

    [Fact]
    public void ParseStatement_Positions_PointAtTheNodesText()
    {
        const string sql = "SELECT a,\n  price * 2 AS p\nFROM bid";
        var select = Assert.IsType<SelectQuery>(Assert.IsType<QueryStatement>(SqlParser.ParseStatement(sql)).Query);
        var item = Assert.IsType<ExpressionSelectItem>(select.Items[1]);
        Assert.Equal((2, 3), (item.Span.Line, item.Span.Column));
        Assert.Equal("price * 2 AS p", sql.Substring(item.Span.Offset, item.Span.Length));
        Assert.Equal("price * 2", sql.Substring(item.Expression.Span.Offset, item.Expression.Span.Length));
        Assert.Equal((3, 6), (select.From!.Span.Line, select.From.Span.Column));
    }

    [Fact]
    public void Equality_IgnoresPositions()
    {
        Assert.Equal(SqlParser.ParseStatement("SELECT a FROM t"), SqlParser.ParseStatement("select   a\n\nfrom t ;"));
        Assert.NotEqual(SqlParser.ParseStatement("SELECT a FROM t"), SqlParser.ParseStatement("SELECT A FROM t"));
    }

    [Fact]
    public void ParseScript_SeveralStatements_ParsesEachInOrder()
    {
        var statements = SqlParser.ParseScript("SET 'a' = 'b';; CREATE VIEW v AS SELECT 1; SELECT * FROM v");
        Assert.Collection(
            statements,
            s => Assert.IsType<SetStatement>(s),
            s => Assert.IsType<CreateViewStatement>(s),
            s => Assert.IsType<QueryStatement>(s));
    }
}
