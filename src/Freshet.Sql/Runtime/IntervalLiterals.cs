using System.Globalization;

namespace Freshet.Sql.Runtime;

/// <summary>
/// Reads the canonical text of an interval literal (<c>INTERVAL '10' SECOND</c>, <c>INTERVAL '1:30' HOUR TO
/// MINUTE</c>, <c>INTERVAL '1-6' YEAR TO MONTH</c>) into its value: a <see cref="TimeSpan"/> for day-time intervals,
/// an <see cref="int"/> number of months for year-month intervals. A sign may lead the string; a single unit may
/// have a fraction (<c>'1.5' SECOND</c>); ranges take their fields separated by space, colon or (year-month) dash.
/// Pure; thread-safe.
/// </summary>
internal static class IntervalLiterals
{
    private static readonly string[] DayTimeUnits = ["DAY", "HOUR", "MINUTE", "SECOND"];

    public static object Parse(string text)
    {
        var open = text.IndexOf('\'', StringComparison.Ordinal);
        var close = text.LastIndexOf('\'');
        var value = text[(open + 1)..close].Trim();
        var qualifier = text[(close + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = qualifier[0];
        var end = qualifier.Length == 3 ? qualifier[2] : null;
        var negative = value.StartsWith('-');
        if (negative || value.StartsWith('+'))
        {
            value = value[1..].Trim();
        }

        var culture = CultureInfo.InvariantCulture;
        if (end is null)
        {
            var amount = decimal.Parse(value, NumberStyles.AllowDecimalPoint, culture) * (negative ? -1 : 1);
            return start switch
            {
                "YEAR" => checked((int)(amount * 12)),
                "QUARTER" => checked((int)(amount * 3)),
                "MONTH" => checked((int)amount),
                "WEEK" => TimeSpan.FromTicks(checked((long)(amount * 7 * TimeSpan.TicksPerDay))),
                "DAY" => TimeSpan.FromTicks(checked((long)(amount * TimeSpan.TicksPerDay))),
                "HOUR" => TimeSpan.FromTicks(checked((long)(amount * TimeSpan.TicksPerHour))),
                "MINUTE" => TimeSpan.FromTicks(checked((long)(amount * TimeSpan.TicksPerMinute))),
                "SECOND" => TimeSpan.FromTicks(checked((long)(amount * TimeSpan.TicksPerSecond))),
                "MILLISECOND" => TimeSpan.FromTicks(checked((long)(amount * TimeSpan.TicksPerMillisecond))),
                _ => throw new FormatException($"unknown interval unit {start}"),
            };
        }

        if (start == "YEAR")
        {
            var parts = value.Split('-');
            var months = (int.Parse(parts[0], culture) * 12) + (parts.Length > 1 ? int.Parse(parts[1], culture) : 0);
            return negative ? -months : months;
        }

        var fields = value.Split([' ', ':'], StringSplitOptions.RemoveEmptyEntries);
        var first = Array.IndexOf(DayTimeUnits, start);
        var last = Array.IndexOf(DayTimeUnits, end);
        if (first < 0 || last < first || fields.Length != last - first + 1)
        {
            throw new FormatException($"'{value}' does not match {start} TO {end}");
        }

        long ticks = 0;
        for (var i = 0; i < fields.Length; i++)
        {
            var unitTicks = (first + i) switch
            {
                0 => TimeSpan.TicksPerDay,
                1 => TimeSpan.TicksPerHour,
                2 => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerSecond,
            };
            ticks += (long)(decimal.Parse(fields[i], NumberStyles.AllowDecimalPoint, culture) * unitTicks);
        }

        return TimeSpan.FromTicks(negative ? -ticks : ticks);
    }
}
