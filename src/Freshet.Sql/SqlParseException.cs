using System.Text;
using Freshet.Sql.Syntax;

namespace Freshet.Sql;

/// <summary>
/// SQL text could not be tokenized or parsed, or uses a feature that is refused by name ("MATCH_RECOGNIZE is
/// not supported"), or exceeds the parser's limits on size and nesting. It is the only exception the tokenizer,
/// parser and script splitter throw for bad input; a shell catches it, shows <see cref="Describe"/> and keeps running.
/// </summary>
public sealed class SqlParseException : SqlException
{
    /// <summary>Creates an exception about the text at <paramref name="span"/> of <paramref name="sqlText"/>.</summary>
    /// <param name="message">What is wrong; the position is appended.</param>
    /// <param name="span">Where in the text the problem was found.</param>
    /// <param name="sqlText">The whole text being parsed, kept for <see cref="Describe"/>.</param>
    /// <param name="expected">The tokens that would have been accepted at <paramref name="span"/>, if known.</param>
    public SqlParseException(string message, SqlSpan span, string sqlText, IReadOnlyList<string>? expected = null)
        : base(message, span)
    {
        SqlText = sqlText;
        Expected = expected ?? [];
    }

    /// <summary>The SQL text that was being parsed.</summary>
    public string SqlText { get; }

    /// <summary>What the parser would have accepted at <see cref="SqlException.Span"/> (keywords, symbols in quotes, or classes
    /// such as "identifier"); empty when the error is not about a missing token.</summary>
    public IReadOnlyList<string> Expected { get; }

    /// <summary>
    /// The message followed by the offending line and a caret under the offending column, for a terminal:
    /// <code>
    /// Expected one of ... but found 'FORM' at line 3, column 8
    ///   3 | SELECT a FORM t
    ///     |        ^
    /// </code>
    /// </summary>
    public string Describe()
    {
        var lineText = LineOf(SqlText, Line);
        var prefix = Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var caretColumn = Math.Clamp(Column - 1, 0, lineText.Length);
        var caret = new StringBuilder();
        for (var i = 0; i < caretColumn; i++)
        {
            caret.Append(lineText[i] == '\t' ? '\t' : ' ');
        }

        caret.Append('^');
        return $"{Message}\n  {prefix} | {lineText}\n  {new string(' ', prefix.Length)} | {caret}";
    }

    private static string LineOf(string text, int line)
    {
        var current = 1;
        var start = 0;
        for (var i = 0; i < text.Length && current < line; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                current++;
                start = i + 1;
            }
        }

        var end = start;
        while (end < text.Length && text[end] != '\n' && text[end] != '\r')
        {
            end++;
        }

        return text[start..end];
    }
}
