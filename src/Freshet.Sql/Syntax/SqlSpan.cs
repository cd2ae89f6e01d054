namespace Freshet.Sql.Syntax;

/// <summary>
/// Where a piece of SQL text sits in its source: <see cref="Offset"/> and <see cref="Length"/> in UTF-16 code
/// units from the start of the text, <see cref="Line"/> and <see cref="Column"/> 1-based (a tab counts as one
/// column; lines end at <c>\n</c>, <c>\r\n</c> or <c>\r</c>). Spans are carried by tokens and syntax nodes for
/// error messages; they take no part in the equality of syntax nodes.
/// </summary>
/// <param name="Offset">Index of the first character, counted from 0.</param>
/// <param name="Length">Number of characters covered.</param>
/// <param name="Line">Line of the first character, counted from 1.</param>
/// <param name="Column">Column of the first character, counted from 1.</param>
public readonly record struct SqlSpan(int Offset, int Length, int Line, int Column)
{
    /// <summary>Index one past the last character covered.</summary>
    public int End => Offset + Length;

    /// <summary>The span from the start of this one to the end of <paramref name="last"/>.</summary>
    public SqlSpan Through(SqlSpan last) => this with { Length = Math.Max(last.End - Offset, Length) };

    /// <inheritdoc/>
    public override string ToString() => $"line {Line}, column {Column}";
}
