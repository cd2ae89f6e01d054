using Freshet.Sql.Parsing;

namespace Freshet.Sql.Tests.Parsing;

public sealed class SqlScriptTests
{
    [Fact]
    public void Split_SemicolonsInStringsCommentsAndIdentifiers_DoNotCut()
    {
        const string script = "SET 'a;b' = 'c';\n-- a comment; still a comment\nSELECT `x;y` /* ; */ FROM t;\n\n  SHOW TABLES";
        var parts = SqlScript.Split(script);
        Assert.Equal(["SET 'a;b' = 'c'", "SELECT `x;y` /* ; */ FROM t", "SHOW TABLES"], parts.Select(p => p.Text).ToArray());
        Assert.Equal([(1, 1), (3, 1), (5, 3)], parts.Select(p => (p.Span.Line, p.Span.Column)).ToArray());
        Assert.All(parts, p => Assert.Equal(p.Text, script.Substring(p.Span.Offset, p.Span.Length)));
    }

    [Fact]
    public void Split_StatementSet_StaysOneStatement()
    {
        const string script = "EXECUTE STATEMENT SET BEGIN\n INSERT INTO a SELECT CASE WHEN x THEN 1 END FROM t;\n INSERT INTO b SELECT 2;\nEND;\nSELECT 3";
        var parts = SqlScript.Split(script);
        Assert.Equal(2, parts.Count);
        Assert.EndsWith("END", parts[0].Text, StringComparison.Ordinal);
        Assert.Equal("SELECT 3", parts[1].Text);
        Assert.All(parts, p => SqlParser.ParseStatement(p.Text));
    }

    [Fact]
    public void Split_EmptyStatementsAndComments_AreDropped() =>
        Assert.Empty(SqlScript.Split(" ;; -- nothing\n/* here */ ;"));

    [Fact]
    public void Split_UnterminatedString_ThrowsWithPosition()
    {
        var error = Assert.Throws<SqlParseException>(() => SqlScript.Split("SELECT 1;\nSELECT 'oops"));
        Assert.Equal((2, 8), (error.Line, error.Column));
    }

    [Fact]
    public void ParseStatement_OfAScriptPart_ReportsPositionsInTheWholeScript()
    {
        const string script = "SHOW TABLES;\n\n-- second\n  SELECT a,\n    b FROM t;\nSELECT a\nFROM t WHERE = 1;";
        var parts = SqlScript.Split(script);
        var select = (Freshet.Sql.Ast.QueryStatement)SqlParser.ParseStatement(script, parts[1]);
        Assert.Equal((4, 3), (select.Span.Line, select.Span.Column));
        Assert.Equal("SELECT a,\n    b FROM t", script.Substring(select.Span.Offset, select.Span.Length));
        Assert.Equal(SqlParser.ParseStatement(parts[1].Text), select);

        var error = Assert.Throws<SqlParseException>(() => SqlParser.ParseStatement(script, parts[2]));
        Assert.Equal((7, 14), (error.Line, error.Column));
        Assert.EndsWith("\n  7 | FROM t WHERE = 1;\n    |              ^", error.Describe(), StringComparison.Ordinal);
    }
}
