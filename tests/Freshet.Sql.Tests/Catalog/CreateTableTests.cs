using Freshet.Sql.Ast;
using Freshet.Sql.Catalog;
using Freshet.Sql.Parsing;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Tests.Catalog;

/// <summary>CREATE TABLE, CREATE VIEW and DROP validation, SHOW TABLES and DESCRIBE as data.</summary>
public sealed class CreateTableTests
{
    public static TheoryData<string, string, string> InvalidTables() => new()
    {
        { "CREATE TABLE x (a INT, a STRING) WITH ('connector' = 'kafka')", "a STRING", "Duplicate column 'a' in table 'x'" },
        { "CREATE TABLE x (a INT, b AS c + 1) WITH ('connector' = 'kafka')", "c + 1", "Column 'c' not found in table 'x'" },
        { "CREATE TABLE x (a INT, b AS a + 1, c AS b * 2) WITH ('connector' = 'kafka')", "b * 2", "Column 'b' not found in table 'x'" },
        { "CREATE TABLE x (a INT, b AS COUNT(a)) WITH ('connector' = 'kafka')", "COUNT", "Aggregate function COUNT is not allowed in a computed column" },
        { "CREATE TABLE x (ts TIMESTAMP(3), WATERMARK FOR tss AS ts) WITH ('connector' = 'kafka')", "tss", "Watermark column 'tss' not found in table 'x'; did you mean 'ts'?" },
        { "CREATE TABLE x (ts TIMESTAMP(6), WATERMARK FOR ts AS ts) WITH ('connector' = 'kafka')", "ts AS", "Watermark column 'ts' must be TIMESTAMP(3) or TIMESTAMP_LTZ(3), but is TIMESTAMP(6)" },
        { "CREATE TABLE x (ts BIGINT, WATERMARK FOR ts AS ts) WITH ('connector' = 'kafka')", "ts AS", "Watermark column 'ts' must be TIMESTAMP(3) or TIMESTAMP_LTZ(3), but is BIGINT" },
        { "CREATE TABLE x (ts TIMESTAMP(3), WATERMARK FOR ts AS 1) WITH ('connector' = 'kafka')", "1)", "The watermark expression must be TIMESTAMP(3) like its column, but is INT" },
        { "CREATE TABLE x (ts TIMESTAMP(3), WATERMARK FOR ts AS zz) WITH ('connector' = 'kafka')", "zz", "Column 'zz' not found in table 'x'" },
        { "CREATE TABLE x (a INT, PRIMARY KEY (b) NOT ENFORCED) WITH ('connector' = 'kafka')", "b)", "Primary key column 'b' not found in table 'x'" },
        { "CREATE TABLE x (a INT, c AS a + 1, PRIMARY KEY (c) NOT ENFORCED) WITH ('connector' = 'kafka')", "PRIMARY", "Computed column 'c' cannot be part of the primary key" },
        { "CREATE TABLE x (a INT) WITH ('format' = 'json')", "x", "Table 'x' has no 'connector' option; known connectors: blackhole, datagen, filesystem, freshet-log, kafka, print, upsert-kafka" },
        { "CREATE TABLE x (a INT) WITH ('connector' = 'kafak')", "'connector'", "Unknown connector 'kafak'; did you mean 'kafka'?; known connectors: blackhole, datagen, filesystem, freshet-log, kafka, print, upsert-kafka" },
        { "CREATE TABLE x (a INT) WITH ('Connector' = 'kafka')", "x", "Table 'x' has no 'connector' option" },
        { "CREATE TABLE x (a INT) WITH ('connector' = 'kafka', 'connector' = 'kafka')", "'connector' = 'kafka')", "Option 'connector' is given twice" },
        { "CREATE TABLE x (a INT) WITH ('connector' = 'upsert-kafka')", "x", "Table 'x' uses connector 'upsert-kafka', which needs a PRIMARY KEY" },
        { "CREATE TABLE x (r ROW<f INT, f INT>) WITH ('connector' = 'kafka')", "f INT>", "Duplicate field 'f' in ROW type" },
        { "CREATE TABLE t (a INT) WITH ('connector' = 'kafka')", "t", "Table or view 't' already exists" },
        { "CREATE VIEW t AS SELECT 1", "t", "Table or view 't' already exists" },
        { "CREATE VIEW w AS SELECT a, a FROM t", "SELECT", "View 'w' has two columns named 'a'; give one an alias" },
        { "CREATE VIEW w (p, q) AS SELECT a FROM t", "w", "View 'w' names 2 columns, but its query has 1" },
        { "DROP TABLE nope", "nope", "Table 'nope' not found" },
        { "DROP VIEW t", "t", "'t' is a table, not a view; use DROP TABLE" },
    };

    [Theory]
    [MemberData(nameof(InvalidTables))]
    public void Apply_InvalidDefinition_ThrowsWithPositionAndMessage(string sql, string pointAt, string message)
    {
        var catalog = CatalogWithT();
        var error = Assert.Throws<SqlValidationException>(() => catalog.Apply(SqlParser.ParseStatement(sql)));
        Assert.StartsWith(message, error.Problem);
        Assert.Equal(sql.IndexOf(pointAt, sql.IndexOf('(') < 0 || pointAt == "x" || pointAt == "t" || pointAt == "w" ? 7 : 14, StringComparison.Ordinal) + 1, error.Column);
    }

    [Fact]
    public void Apply_ValidTable_DescribesColumnsKeysComputedAndWatermark()
    {
        var catalog = new SqlCatalog();
        catalog.Apply(SqlParser.ParseStatement("""
            CREATE TABLE orders (
              id BIGINT, amount DECIMAL(10, 2), ts TIMESTAMP_LTZ(3), pt AS PROCTIME(), total AS amount * 2,
              WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
              PRIMARY KEY (id) NOT ENFORCED
            ) WITH ('connector' = 'upsert-kafka', 'topic' = 'Orders', 'Key.Format' = 'json')
            """));
        var columns = catalog.Describe((DescribeStatement)SqlParser.ParseStatement("DESCRIBE orders"));
        Assert.Equal(
            [
                "id BIGINT NOT NULL key",
                "amount DECIMAL(10, 2)",
                "ts TIMESTAMP_LTZ(3) *ROWTIME* watermark=ts - INTERVAL '5' SECOND",
                "pt TIMESTAMP_LTZ(3) NOT NULL *PROCTIME* computed=PROCTIME()",
                "total DECIMAL(20, 2) computed=amount * 2",
            ],
            columns.Select(c => $"{c.Name} {c.Type}{(c.IsPrimaryKey ? " key" : string.Empty)}"
                + (c.Watermark is null ? string.Empty : " watermark=" + c.Watermark)
                + (c.Expression is null ? string.Empty : " computed=" + c.Expression)));
        Assert.True(catalog.TryGetTable("orders", out var table));
        Assert.Equal("Orders", table.Options["topic"]);
        Assert.True(table.Options.ContainsKey("Key.Format"));
        Assert.False(table.Options.ContainsKey("key.format"));
        Assert.True(table.IsUpsertSource);
        Assert.Equal("ts", table.RowtimeColumn);
        Assert.Equal(["id"], table.PrimaryKey);
    }

    [Fact]
    public void Apply_CreateIfNotExistsAndDropIfExists_AreQuietAndDropRemoves()
    {
        var catalog = CatalogWithT();
        catalog.Apply(SqlParser.ParseStatement("CREATE TABLE IF NOT EXISTS t (z INT) WITH ('connector' = 'kafka')"));
        Assert.True(catalog.TryGetTable("t", out var t));
        Assert.Equal("a", t.Columns[0].Name);
        catalog.Apply(SqlParser.ParseStatement("CREATE TEMPORARY VIEW tv AS SELECT a FROM t"));
        Assert.Equal(["t", "tv"], catalog.ShowTables());
        catalog.Apply(SqlParser.ParseStatement("DROP VIEW tv"));
        catalog.Apply(SqlParser.ParseStatement("DROP TABLE IF EXISTS nope"));
        catalog.Apply(SqlParser.ParseStatement("DROP TABLE t"));
        Assert.Empty(catalog.ShowTables());
    }

    [Fact]
    public void Describe_UnknownName_ThrowsWithSuggestion()
    {
        var error = Assert.Throws<SqlValidationException>(() => CatalogWithT().Describe((DescribeStatement)SqlParser.ParseStatement("DESCRIBE tt")));
        Assert.Equal("Table or view 'tt' not found; did you mean 't'?", error.Problem);
    }

    [Fact]
    public void Apply_PrimaryKeyColumn_BecomesNotNull()
    {
        var catalog = new SqlCatalog();
        catalog.Apply(SqlParser.ParseStatement("CREATE TABLE k (a INT, b INT, PRIMARY KEY (a, b) NOT ENFORCED) WITH ('connector' = 'kafka')"));
        Assert.True(catalog.TryGetTable("k", out var table));
        Assert.All(table.Columns, c => Assert.False(c.Type.Nullable));
        Assert.All(table.Columns, c => Assert.True(c.IsPrimaryKey));
        Assert.Equal(SqlType.Int.WithNullable(false), table.Columns[0].Type);
    }

    private static SqlCatalog CatalogWithT()
    {
        var catalog = new SqlCatalog();
        catalog.Apply(SqlParser.ParseStatement("CREATE TABLE t (a INT, b STRING) WITH ('connector' = 'kafka')"));
        return catalog;
    }
}
