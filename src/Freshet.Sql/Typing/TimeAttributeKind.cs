namespace Freshet.Sql.Typing;

/// <summary>
/// Marks a timestamp column as a time attribute. Window table functions and OVER windows accept only time
/// attributes as their time column; arithmetic, regular joins and non-window aggregations remove the mark.
/// </summary>
public enum TimeAttributeKind
{
    /// <summary>An ordinary value.</summary>
    None,
    /// <summary>Event time: the column named by <c>WATERMARK FOR</c>, and <c>window_time</c> of a window.</summary>
    Rowtime,
    /// <summary>Processing time: a computed column <c>AS PROCTIME()</c>.</summary>
    Proctime,
}
