namespace Freshet.Sql.Syntax;

/// <summary>The lexical class of a <see cref="SqlToken"/>.</summary>
internal enum SqlTokenKind
{
    /// <summary>An unquoted word: a keyword or a plain identifier (keywords are recognised by the parser, case-insensitively).</summary>
    Word,

    /// <summary>A back-quoted identifier; its value has the quotes removed and <c>``</c> unescaped.</summary>
    QuotedIdentifier,

    /// <summary>A string literal; its value has the quotes removed and <c>''</c> unescaped.</summary>
    String,

    /// <summary>An unsigned integer, decimal or exponent number, kept as written.</summary>
    Number,

    /// <summary>An operator or punctuation: <c>( ) [ ] , ; . = &lt;&gt; != &lt; &lt;= &gt; &gt;= + - * / % || =&gt;</c>.</summary>
    Symbol,

    /// <summary>The end of the input; always the last token.</summary>
    End,
}
