namespace Freshet.Sql.Planning;

/// <summary>
/// The row numbers a Top-N keeps, from a filter on ROW_NUMBER's result (<c>rn &lt;= 10</c>, <c>rn = 1</c>,
/// <c>rn BETWEEN 3 AND 5</c>) or from LIMIT: 1-based and inclusive, <c>1 &lt;= Start &lt;= End</c>.
/// </summary>
/// <param name="Start">The first row number kept.</param>
/// <param name="End">The last row number kept.</param>
internal sealed record RankRange(long Start, long End)
{
    /// <summary>Whether exactly one row number is kept, so the number itself is a constant.</summary>
    public bool IsConstant => Start == End;

    /// <inheritdoc/>
    public override string ToString() => $"rankStart={Start}, rankEnd={End}";
}
