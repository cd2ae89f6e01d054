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
