using Freshet.Sql.Ast;

namespace Freshet.Sql.Printing;

/// <summary>
/// Prints syntax trees as canonical Flink SQL: keywords in upper case, one space between tokens, identifiers
/// back-quoted only where needed, parentheses only where precedence needs them, synonyms in one spelling
/// (<c>&lt;&gt;</c>, <c>INT</c>, <c>ARRAY&lt;T&gt;</c>). Parsing the printed text gives a tree equal to the one printed,
/// for every tree the parser produces. Thread-safe.
/// </summary>
public static class SqlPrinter
{
    /// <summary>The SQL text of <paramref name="node"/> (a statement, query, expression, type or any other node).</summary>
    public static string Print(SqlNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var writer = new SqlWriter();
        writer.Write(node);
        return writer.ToString();
    }
}
