using System.Globalization;

namespace Freshet.Sql.Formats;

/// <summary>
/// The text forms the <c>json</c> and <c>csv</c> formats use for dates and times, Flink's: DATE <c>yyyy-MM-dd</c>;
/// TIME <c>HH:mm:ss[.f…]</c>; TIMESTAMP <c>yyyy-MM-dd HH:mm:ss[.f…]</c> (<c>SQL</c>) or <c>yyyy-MM-ddTHH:mm:ss[.f…]</c>
/// (<c>ISO-8601</c>); TIMESTAMP_LTZ the same in UTC followed by <c>Z</c>. Fractions are written with as many digits
/// as needed (none for whole seconds, at most 7: .NET's tick) and read with 0 to 9 digits (digits beyond the 7th are
/// dropped). Parsing returns false for any text not in the form; it never throws. Stateless; thread-safe.
/// </summary>
internal static class SqlValueText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", Invariant);

    public static string Time(TimeOnly time) => time.ToString("HH:mm:ss", Invariant) + Fraction(time.Ticks);

    public static string Timestamp(DateTime time, bool iso) =>
        time.ToString(iso ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd HH:mm:ss", Invariant) + Fraction(time.Ticks);

    public static string TimestampLtz(DateTimeOffset instant, bool iso) => Timestamp(instant.UtcDateTime, iso) + "Z";

    public static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", Invariant, DateTimeStyles.None, out date);

    public static bool TryTime(string text, out TimeOnly time)
    {
        time = default;
        if (!TrySplitFraction(text, out var whole, out var fractionTicks)
            || !TimeOnly.TryParseExact(whole, "HH:mm:ss", Invariant, DateTimeStyles.None, out var seconds))
        {
            return false;
        }

        time = seconds.Add(TimeSpan.FromTicks(fractionTicks));
        return true;
    }

    public static bool TryTimestamp(string text, bool iso, out DateTime time)
    {
        time = default;
        if (!TrySplitFraction(text, out var whole, out var fractionTicks)
            || !DateTime.TryParseExact(whole, iso ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd HH:mm:ss", Invariant, DateTimeStyles.None, out var seconds))
        {
            return false;
        }

        time = DateTime.SpecifyKind(seconds.AddTicks(fractionTicks), DateTimeKind.Unspecified);
        return true;
    }

    /// <summary>
    /// <see cref="TryTimestamp(string, bool, out DateTime)"/> on UTF-8 text, without allocating, for the strict form
    /// only: <c>yyyy-MM-dd HH:mm:ss</c> (<c>T</c> for the space when <paramref name="iso"/>), then optionally a point
    /// and 1 to 9 digits. False for any other text, which may still be a timestamp the string overload reads.
    /// </summary>
    public static bool TryTimestamp(ReadOnlySpan<byte> utf8, bool iso, out DateTime time)
    {
        time = default;
        if (utf8.Length < 19 || utf8[4] != '-' || utf8[7] != '-' || utf8[10] != (iso ? 'T' : ' ') || utf8[13] != ':' || utf8[16] != ':')
        {
            return false;
        }

        if (!TryDigits(utf8, 0, 4, out var year) || !TryDigits(utf8, 5, 2, out var month) || !TryDigits(utf8, 8, 2, out var day)
            || !TryDigits(utf8, 11, 2, out var hour) || !TryDigits(utf8, 14, 2, out var minute) || !TryDigits(utf8, 17, 2, out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        long fractionTicks = 0;
        if (utf8.Length > 19)
        {
            var digits = utf8.Length - 20;
            if (utf8[19] != '.' || digits is < 1 or > 9 || !TryDigits(utf8, 20, Math.Min(digits, 7), out var fraction) || (digits > 7 && !TryDigits(utf8, 27, digits - 7, out _)))
            {
                return false;
            }

            fractionTicks = fraction;
            for (var i = digits; i < 7; i++)
            {
                fractionTicks *= 10;
            }
        }

        time = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    public static bool TryTimestampLtz(string text, bool iso, out DateTimeOffset instant)
    {
        instant = default;
        if (!text.EndsWith('Z') || !TryTimestamp(text[..^1], iso, out var utc))
        {
            return false;
        }

        instant = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        return true;
    }

    // ".5", ".0001234", or nothing for whole seconds, as Flink's formatter (appendFraction(0, 9)) writes it.
    private static string Fraction(long ticks)
    {
        var fraction = ticks % TimeSpan.TicksPerSecond;
        if (fraction == 0)
        {
            return string.Empty;
        }

        return "." + fraction.ToString("D7", Invariant).TrimEnd('0');
    }

    private static bool TrySplitFraction(string text, out string whole, out long fractionTicks)
    {
        fractionTicks = 0;
        var dot = text.LastIndexOf('.');
        if (dot < 0)
        {
            whole = text;
            return true;
        }

        whole = text[..dot];
        var digits = text.AsSpan(dot + 1);
        if (digits.Length is 0 or > 9)
        {
            return false;
        }

        for (var i = 0; i < digits.Length; i++)
        {
            if (!char.IsAsciiDigit(digits[i]))
            {
                return false;
            }

            if (i < 7)
            {
                fractionTicks = (fractionTicks * 10) + (digits[i] - '0');
            }
        }

        for (var i = digits.Length; i < 7; i++)
        {
            fractionTicks *= 10;
        }

        return true;
    }
}
