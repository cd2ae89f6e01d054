namespace Freshet.Sql.Ast;

/// <summary>
/// A unit of time, as used by interval qualifiers (<see cref="Year"/> to <see cref="Second"/>, written singular or
/// plural) and by <c>EXTRACT</c> (all of them).
/// </summary>
public enum TimeUnit
{
    /// <summary><c>YEAR</c>.</summary>
    Year,

    /// <summary><c>QUARTER</c>.</summary>
    Quarter,

    /// <summary><c>MONTH</c>.</summary>
    Month,

    /// <summary><c>WEEK</c>.</summary>
    Week,

    /// <summary><c>DAY</c>.</summary>
    Day,

    /// <summary><c>HOUR</c>.</summary>
    Hour,

    /// <summary><c>MINUTE</c>.</summary>
    Minute,

    /// <summary><c>SECOND</c>.</summary>
    Second,

    /// <summary><c>MILLISECOND</c>.</summary>
    Millisecond,

    /// <summary><c>MICROSECOND</c>.</summary>
    Microsecond,

    /// <summary><c>NANOSECOND</c>.</summary>
    Nanosecond,

    /// <summary><c>DOW</c>: day of week.</summary>
    DayOfWeek,

    /// <summary><c>DOY</c>: day of year.</summary>
    DayOfYear,

    /// <summary><c>EPOCH</c>: seconds since 1970-01-01.</summary>
    Epoch,

    /// <summary><c>DECADE</c>.</summary>
    Decade,

    /// <summary><c>CENTURY</c>.</summary>
    Century,

    /// <summary><c>MILLENNIUM</c>.</summary>
    Millennium,
}
