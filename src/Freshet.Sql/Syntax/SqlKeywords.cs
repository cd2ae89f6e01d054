namespace Freshet.Sql.Syntax;

/// <summary>
/// The words the parser gives a fixed meaning wherever they appear. A reserved word cannot be a plain identifier
/// (write it back-quoted: <c>`from`</c>), which is what lets the parser tell an implicit alias (<c>FROM bid B</c>)
/// from the next clause (<c>FROM bid WHERE ...</c>). The set follows Flink SQL (Calcite) for the words this parser
/// uses; function names such as COUNT, MAX or MOD are not reserved.
/// </summary>
internal static class SqlKeywords
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "ALL", "AND", "ARRAY", "AS", "BETWEEN", "BY", "CASE", "CAST", "CROSS", "CURRENT_DATE", "CURRENT_TIME",
        "CURRENT_TIMESTAMP", "DATE", "DISTINCT", "ELSE", "END", "ESCAPE", "EXCEPT", "EXISTS", "EXTRACT", "FALSE",
        "FETCH", "FILTER", "FOR", "FROM", "FULL", "GROUP", "HAVING", "IN", "INNER", "INTERSECT", "INTERVAL", "IS",
        "JOIN", "LATERAL", "LEFT", "LIKE", "LIMIT", "LOCALTIME", "LOCALTIMESTAMP", "MAP", "MATCH_RECOGNIZE", "MINUS",
        "MULTISET", "NATURAL", "NOT", "NULL", "OFFSET", "ON", "OR", "ORDER", "OVER", "PARTITION", "PIVOT", "QUALIFY", "RANGE",
        "RIGHT", "ROW", "ROWS", "SELECT", "SIMILAR", "TABLE", "TABLESAMPLE", "THEN", "TIME", "TIMESTAMP",
        "TRUE", "TRY_CAST", "UNION", "UNKNOWN", "UNNEST", "UNPIVOT", "USING", "VALUES", "WHEN", "WHERE", "WINDOW",
        "WITH",
    };

    /// <summary>Niladic functions written without parentheses; always a <c>FunctionCall</c> when unquoted.</summary>
    private static readonly HashSet<string> Niladic = new(StringComparer.OrdinalIgnoreCase)
    {
        "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP",
    };

    /// <summary>Words that begin a table element of CREATE TABLE and so cannot name a column there unquoted.</summary>
    private static readonly HashSet<string> TableElement = new(StringComparer.OrdinalIgnoreCase)
    {
        "CONSTRAINT", "PERIOD", "PRIMARY", "WATERMARK",
    };

    /// <summary>
    /// Non-reserved words that read as keywords where a printed expression may stand (a column named
    /// <c>unbounded</c> as a frame offset, <c>descriptor(...)</c> as a table function argument); the printer quotes
    /// identifiers spelled like them.
    /// </summary>
    private static readonly HashSet<string> Contextual = new(StringComparer.OrdinalIgnoreCase)
    {
        "CURRENT", "DESCRIPTOR", "UNBOUNDED",
    };

    /// <summary>Whether <paramref name="word"/> is reserved, ignoring case.</summary>
    public static bool IsReserved(string word) => Reserved.Contains(word);

    /// <summary>Whether <paramref name="word"/> is a niladic function name, ignoring case.</summary>
    public static bool IsNiladicFunction(string word) => Niladic.Contains(word);

    /// <summary>Whether an identifier must be back-quoted when printed: it is not a plain word, or it would read as a keyword.</summary>
    public static bool NeedsQuotes(string identifier)
    {
        if (identifier.Length == 0 || !(char.IsLetter(identifier[0]) || identifier[0] == '_'))
        {
            return true;
        }

        foreach (var c in identifier)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_' || c == '$'))
            {
                return true;
            }
        }

        return Reserved.Contains(identifier) || TableElement.Contains(identifier) || Contextual.Contains(identifier);
    }

    /// <summary>Whether <paramref name="word"/> begins a CREATE TABLE element other than a column.</summary>
    public static bool IsTableElementKeyword(string word) => TableElement.Contains(word);
}
