using Freshet.Sql.Syntax;

namespace Freshet.Sql.Tests.Syntax;

public sealed class TokenizerTests
{
    [Fact]
    public void Tokenize_MixedInput_GivesKindsValuesAndPositions()
    {
        var tokens = SqlTokenizer.Tokenize("SELECT `a``b`, 'it''s' -- c\n  /* x\n y */ 1.5e3 <> x||y");
        Assert.Equal(
            [
                (SqlTokenKind.Word, "SELECT", 1, 1, 0, 6),
                (SqlTokenKind.QuotedIdentifier, "a`b", 1, 8, 7, 6),
                (SqlTokenKind.Symbol, ",", 1, 14, 13, 1),
                (SqlTokenKind.String, "it's", 1, 16, 15, 7),
                (SqlTokenKind.Number, "1.5e3", 3, 7, 41, 5),
                (SqlTokenKind.Symbol, "<>", 3, 13, 47, 2),
                (SqlTokenKind.Word, "x", 3, 16, 50, 1),
                (SqlTokenKind.Symbol, "||", 3, 17, 51, 2),
                (SqlTokenKind.Word, "y", 3, 19, 53, 1),
                (SqlTokenKind.End, "", 3, 20, 54, 0),
            ],
            tokens.Select(t => (t.Kind, t.Value, t.Span.Line, t.Span.Column, t.Span.Offset, t.Span.Length)).ToArray());
    }

    [Theory]
    [InlineData("12", "12")]
    [InlineData("0.908", "0.908")]
    [InlineData(".5", ".5")]
    [InlineData("1.", "1.")]
    [InlineData("1e10", "1e10")]
    [InlineData("2.5E-3", "2.5E-3")]
    [InlineData("7e+2", "7e+2")]
    public void Tokenize_Numbers_KeepTheirText(string sql, string value)
    {
        var token = SqlTokenizer.Tokenize(sql)[0];
        Assert.Equal((SqlTokenKind.Number, value), (token.Kind, token.Value));
    }

    [Fact]
    public void Tokenize_WindowsAndOldMacLineEnds_CountLines()
    {
        var tokens = SqlTokenizer.Tokenize("a\r\nb\rc\nd");
        Assert.Equal([1, 2, 3, 4], tokens.Take(4).Select(t => t.Span.Line).ToArray());
        Assert.All(tokens.Take(4), t => Assert.Equal(1, t.Span.Column));
    }

    [Fact]
    public void Tokenize_StringAcrossLines_KeepsLineCountRight()
    {
        var tokens = SqlTokenizer.Tokenize("'a\nb' x");
        Assert.Equal("a\nb", tokens[0].Value);
        Assert.Equal((2, 4), (tokens[1].Span.Line, tokens[1].Span.Column));
    }

    [Theory]
    [InlineData("'abc", 1, 1, "Unterminated string literal")]
    [InlineData("SELECT\n  `abc", 2, 3, "Unterminated back-quoted identifier")]
    [InlineData("a /* never closed", 1, 3, "Unterminated block comment")]
    [InlineData("SELECT a # b", 1, 10, "Unexpected character '#'")]
    [InlineData("SELECT ?", 1, 8, "Unexpected character '?'")]
    [InlineData("SELECT 1e", 1, 8, "Malformed number '1e'")]
    [InlineData("SELECT ``", 1, 8, "An identifier cannot be empty")]
    [InlineData("SELECT /*+ OPTIONS('a'='b') */ 1", 1, 8, "Query hints (/*+ ... */) are not supported")]
    [InlineData("a ! b", 1, 3, "Unexpected character '!'")]
    [InlineData("a | b", 1, 3, "Unexpected character '|'")]
    public void Tokenize_BadInput_ThrowsWithPosition(string sql, int line, int column, string message)
    {
        var error = Assert.Throws<SqlParseException>(() => SqlTokenizer.Tokenize(sql));
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokenize_TextBeyondTheLimit_IsRefused()
    {
        var error = Assert.Throws<SqlParseException>(() => SqlTokenizer.Tokenize(new string(' ', SqlLimits.MaxSqlLength + 1)));
        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
    }
}
