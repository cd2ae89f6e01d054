using Freshet.Sql.Syntax;

namespace Freshet.Sql.Parsing;

/// <summary>
/// Cuts a script into statements on <c>;</c> outside strings, quoted identifiers and comments, keeping each
/// statement's position, so that a shell or <c>freshet sql --file</c> can run statements one at a time and report
/// errors against the whole file. The <c>;</c> between the INSERTs of
/// <c>EXECUTE STATEMENT SET BEGIN ... END</c> do not cut. Thread-safe.
/// </summary>
public static class SqlScript
{
    /// <summary>The statements of <paramref name="script"/> in order; empty statements and comments alone are dropped.</summary>
    /// <exception cref="SqlParseException">The script cannot be tokenized (an unterminated string or comment, a stray character).</exception>
    public static IReadOnlyList<SqlScriptPart> Split(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var tokens = SqlTokenizer.Tokenize(script);
        var parts = new List<SqlScriptPart>();
        var first = -1;
        var inStatementSet = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var ends = token.Kind == SqlTokenKind.End || (token.IsSymbol(";") && !inStatementSet);
            if (ends)
            {
                if (first >= 0)
                {
                    var span = tokens[first].Span.Through(tokens[i - 1].Span);
                    parts.Add(new SqlScriptPart(script.Substring(span.Offset, span.Length), span));
                }

                first = -1;
                continue;
            }

            if (first < 0)
            {
                first = i;
            }

            if (token.IsWord("BEGIN") && i >= 2 && tokens[i - 1].IsWord("SET") && tokens[i - 2].IsWord("STATEMENT"))
            {
                inStatementSet = true;
            }
            else if (token.IsWord("END") && inStatementSet && i > 0 && tokens[i - 1].IsSymbol(";"))
            {
                inStatementSet = false;
            }
        }

        return parts;
    }
}
