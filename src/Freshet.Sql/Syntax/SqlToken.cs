namespace Freshet.Sql.Syntax;

/// <summary>
/// One token of SQL text. <see cref="Value"/> is the text with quotes removed and escapes resolved (for
/// words, symbols and numbers it is the text as written).
/// </summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, string Value, SqlSpan Span)
{
    /// <summary>Whether this is the unquoted word <paramref name="keyword"/> (given in upper case), ignoring case.</summary>
    public bool IsWord(string keyword) => Kind == SqlTokenKind.Word && string.Equals(Value, keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether this is the symbol <paramref name="symbol"/>.</summary>
    public bool IsSymbol(string symbol) => Kind == SqlTokenKind.Symbol && Value == symbol;

    /// <summary>How the token is named in an error message: its text in quotes, or "end of input".</summary>
    public string Describe() => Kind switch
    {
        SqlTokenKind.End => "end of input",
        SqlTokenKind.String => "'" + Shorten(Value).Replace("'", "''", StringComparison.Ordinal) + "'",
        SqlTokenKind.QuotedIdentifier => "`" + Shorten(Value).Replace("`", "``", StringComparison.Ordinal) + "`",
        _ => "'" + Shorten(Value) + "'",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");
}
