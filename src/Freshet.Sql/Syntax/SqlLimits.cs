namespace Freshet.Sql.Syntax;

/// <summary>
/// Bounds on what the parser accepts, so that hostile or generated text cannot exhaust memory or the stack:
/// text beyond these limits is refused with a <see cref="SqlParseException"/>.
/// </summary>
public static class SqlLimits
{
    /// <summary>The longest SQL text accepted, in UTF-16 code units (1 MiB of characters).</summary>
    public const int MaxSqlLength = 1 << 20;

    /// <summary>
    /// The deepest nesting accepted: parentheses, subqueries, nested types and chained operators each count one level
    /// (<c>a + b + c</c> is two levels). Deeper text is refused rather than risking a stack overflow in the parser,
    /// the printer or a later binder walking the tree.
    /// </summary>
    public const int MaxNestingDepth = 200;
}
