using Freshet.Sql.Parsing;

namespace Freshet.Sql.Tests.Parsing;

public sealed class ErrorMessageTests
{
    [Fact]
    public void ParseStatement_MisspelledClause_NamesExpectedTokensAndWhatWasFound()
    {
        const string sql = "SELECT a, b\nFROM t\nWHERE a = 1\nGROUP BY a\nORDR BY a";
        var error = Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement(sql));
        Assert.Equal((5, 1), (error.Line, error.Column));
        Assert.StartsWith("Expected one of ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("but found 'ORDR' at line 5, column 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("HAVING", error.Expected);
        Assert.Contains("ORDER BY", error.Expected);
        Assert.Contains("LIMIT", error.Expected);
        Assert.Contains("end of input", error.Expected);
    }

    [Fact]
    public void ParseStatement_MisspelledFrom_ListsFromAmongExpected()
    {
        var error = Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement("SELECT a AS x\n\n  FORM t"));
        Assert.Equal((3, 3), (error.Line, error.Column));
        Assert.Contains("FROM", error.Expected);
        Assert.Contains("WHERE", error.Expected);
        Assert.Contains("GROUP BY", error.Expected);
        Assert.Contains("but found 'FORM' at line 3, column 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_PrintsTheOffendingLineWithACaret()
    {
        var error = Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement("SELECT a\nFROM t\nWHERE a = = 1"));
        Assert.Equal(
            error.Message + "\n  3 | WHERE a = = 1\n    |           ^",
            error.Describe());
    }

    [Fact]
    public void Describe_ErrorAtEndOfInput_PutsTheCaretAfterTheLastCharacter()
    {
        var error = Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement("SELECT a FROM"));
        Assert.Equal(error.Message + "\n  1 | SELECT a FROM\n    |              ^", error.Describe());
        Assert.EndsWith("but found end of input at line 1, column 14", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY a)", "MATCH_RECOGNIZE is not supported")]
    [InlineData("SELECT * FROM t PIVOT (SUM(x) FOR y IN (1))", "PIVOT is not supported")]
    [InlineData("SELECT * FROM t UNPIVOT (x FOR y IN (a))", "UNPIVOT is not supported")]
    [InlineData("SELECT a FROM t GROUP BY GROUPING SETS ((a))", "GROUPING SETS is not supported")]
    [InlineData("SELECT a FROM t GROUP BY ROLLUP (a)", "ROLLUP is not supported")]
    [InlineData("SELECT a FROM t GROUP BY CUBE (a)", "CUBE is not supported")]
    [InlineData("SELECT * FROM t, LATERAL TABLE(split(t.s))", "LATERAL (table functions of user functions) is not supported")]
    [InlineData("SELECT * FROM TABLE(split(TABLE t))", "Table function 'split' (only the window functions TUMBLE, HOP, CUMULATE and SESSION are supported) is not supported")]
    [InlineData("CREATE FUNCTION f AS 'com.example.F'", "CREATE FUNCTION is not supported")]
    [InlineData("ALTER TABLE t SET ('k' = 'v')", "ALTER is not supported")]
    [InlineData("INSERT OVERWRITE t SELECT 1", "INSERT OVERWRITE is not supported")]
    [InlineData("SELECT a FROM t LIMIT 1 OFFSET 2", "OFFSET is not supported")]
    [InlineData("SELECT * FROM a NATURAL JOIN b", "NATURAL JOIN is not supported")]
    [InlineData("SELECT SUBSTRING(s FROM 1 FOR 2) FROM t", "SUBSTRING(... FROM ...) (write the arguments separated by commas) is not supported")]
    [InlineData("SELECT TRIM(BOTH 'x' FROM s) FROM t", "TRIM(... BOTH ...)")]
    [InlineData("SELECT POSITION('a' IN s) FROM t", "POSITION(... IN ...)")]
    [InlineData("SELECT FLOOR(ts TO HOUR) FROM t", "FLOOR(... TO ...)")]
    public void ParseStatement_KnownButUnsupportedSql_IsRefusedByName(string sql, string message)
    {
        var error = Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement(sql));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseStatement_PrimaryKeyWithoutNotEnforced_ExplainsWhy()
    {
        var error = Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement("CREATE TABLE t (a INT, PRIMARY KEY (a))"));
        Assert.Contains("NOT ENFORCED", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 39), (error.Line, error.Column));
    }
}
