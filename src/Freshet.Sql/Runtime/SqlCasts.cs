using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Runtime;

/// <summary>
/// Conversions between SQL types for CAST, TRY_CAST and the implicit widening of operands (INT to BIGINT, DATE to
/// TIMESTAMP, TIMESTAMP_LTZ to TIMESTAMP). Each conversion is built once per pair of types as a delegate over a
/// non-null value; a value that does not convert throws <see cref="FormatException"/>, <see cref="OverflowException"/>
/// or <see cref="InvalidCastException"/>, which the caller reports with the expression's position (or turns into
/// NULL for TRY_CAST). Time zone: the session zone is UTC, so TIMESTAMP and TIMESTAMP_LTZ convert into each other
/// by reading the wall-clock time as UTC. Pure; thread-safe.
/// </summary>
internal static class SqlCasts
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly Regex DayTimePattern = new(@"^([+-]?)(\d{1,9}) (\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d{1,9})?$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly Regex YearMonthPattern = new(@"^([+-]?)(\d{1,9})-(\d{1,2})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d"];

    private static readonly string[] TimeFormats = ["HH:mm:ss", "HH:mm", "HH:mm:ss.FFFFFFF", "H:m:s", "H:m:s.FFFFFFF"];

    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd", "yyyy-M-d H:m:s", "yyyy-M-d H:m:s.FFFFFFF", "yyyy-M-d",
    ];

    /// <summary>The conversion that CAST(x AS <paramref name="to"/>) applies to a non-null <paramref name="from"/> value.</summary>
    public static Func<object, object> Converter(SqlType from, SqlType to)
    {
        if (from.Kind == SqlTypeKind.Null)
        {
            return static value => value;
        }

        if (SqlTypeRules.IsCharacter(to))
        {
            var text = ToText(from);
            var fit = FitLength(to);
            return fit is null ? text : value => fit(text(value));
        }

        if (SqlTypeRules.IsCharacter(from))
        {
            return FromText(to);
        }

        if (from.Kind == to.Kind)
        {
            return SameKind(from, to);
        }

        if (SqlTypeRules.IsNumeric(to) && (SqlTypeRules.IsNumeric(from) || from.Kind == SqlTypeKind.Boolean))
        {
            return ToNumber(from, to);
        }

        if (SqlTypeRules.IsExactInteger(to) && SqlTypeRules.IsInterval(from))
        {
            var narrow = ToNumber(SqlType.BigInt, to);
            return from.Kind == SqlTypeKind.IntervalYearMonth
                ? value => narrow((long)(int)value)
                : value => narrow(((TimeSpan)value).Ticks / TimeSpan.TicksPerMillisecond);
        }

        if (to.Kind == SqlTypeKind.Boolean && SqlTypeRules.IsNumeric(from))
        {
            var asDouble = ToNumber(from, SqlType.Double);
            return from.Kind == SqlTypeKind.Decimal ? static value => (decimal)value != 0m : value => (double)asDouble(value) != 0d;
        }

        if (SqlTypeRules.IsDatetime(from) && SqlTypeRules.IsDatetime(to))
        {
            return Datetime(from, to);
        }

        throw new InvalidCastException($"Cannot cast {from} to {to}");
    }

    /// <summary>
    /// The conversion that makes a value of <paramref name="from"/> comparable with (or assignable to) values of the
    /// common type <paramref name="to"/> without changing it (no rounding, truncation or padding), or null when the
    /// representation is already the same.
    /// </summary>
    public static Func<object, object>? Widening(SqlType from, SqlType to)
    {
        if (from.Kind == SqlTypeKind.Null || from.Kind == to.Kind || (SqlTypeRules.IsCharacter(from) && SqlTypeRules.IsCharacter(to)))
        {
            if (from.Kind == SqlTypeKind.Array && to.Kind == SqlTypeKind.Array && Widening(from.Element!, to.Element!) is { } element)
            {
                return value => MapArray((object?[])value, element);
            }

            return null;
        }

        return to.Kind switch
        {
            SqlTypeKind.Timestamp or SqlTypeKind.TimestampLtz or SqlTypeKind.Time => Datetime(from, to, truncate: false),
            _ => Converter(from, to),
        };
    }

    /// <summary>The text form CAST(x AS STRING) gives: Java's for numbers, <c>TRUE</c>/<c>FALSE</c>, ISO dates, and
    /// <c>yyyy-MM-dd HH:mm:ss</c> plus as many fraction digits as the type's precision.</summary>
    public static Func<object, object> ToText(SqlType from) => from.Kind switch
    {
        SqlTypeKind.Boolean => static value => (bool)value ? "TRUE" : "FALSE",
        SqlTypeKind.Float => static value => JavaNumberText((float)value),
        SqlTypeKind.Double => static value => JavaNumberText((double)value),
        SqlTypeKind.Char or SqlTypeKind.Varchar => static value => value,
        SqlTypeKind.Bytes => static value => Encoding.UTF8.GetString((byte[])value),
        SqlTypeKind.Date => static value => ((DateOnly)value).ToString("yyyy-MM-dd", Invariant),
        SqlTypeKind.Time => value => ((TimeOnly)value).ToString("HH:mm:ss" + Fraction(from.Precision), Invariant),
        SqlTypeKind.Timestamp => value => ((DateTime)value).ToString("yyyy-MM-dd HH:mm:ss" + Fraction(from.Precision), Invariant),
        SqlTypeKind.TimestampLtz => value => ((DateTimeOffset)value).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss" + Fraction(from.Precision), Invariant),
        SqlTypeKind.IntervalDayTime => static value => DayTimeText((TimeSpan)value),
        SqlTypeKind.IntervalYearMonth => static value => YearMonthText((int)value),
        SqlTypeKind.Array or SqlTypeKind.Map or SqlTypeKind.Row => static value => new Row(value).ToString(),
        _ => static value => ((IFormattable)value).ToString(null, Invariant),
    };

    /// <summary>Java's <c>Double.toString</c>: plain notation with at least one fraction digit between 10^-3 and
    /// 10^7, otherwise <c>d.dddE±n</c>; the shortest digits that read back as the same value.</summary>
    public static string JavaNumberText(double value) => JavaText(value, value.ToString("R", Invariant));

    /// <summary>Java's <c>Float.toString</c>, as <see cref="JavaNumberText(double)"/>.</summary>
    public static string JavaNumberText(float value) => JavaText(value, value.ToString("R", Invariant));

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text.Trim(), DateFormats, Invariant, DateTimeStyles.None);

    public static TimeOnly ParseTime(string text) => TimeOnly.ParseExact(CutFraction(text.Trim()), TimeFormats, Invariant, DateTimeStyles.None);

    public static DateTime ParseTimestamp(string text) =>
        DateTime.ParseExact(CutFraction(text.Trim()), TimestampFormats, Invariant, DateTimeStyles.None);

    /// <summary>The timestamp a string denotes in one of the forms CAST accepts, or null.</summary>
    public static DateTime? TryParseTimestamp(string text) =>
        DateTime.TryParseExact(CutFraction(text.Trim()), TimestampFormats, Invariant, DateTimeStyles.None, out var parsed) ? parsed : null;

    /// <summary>A TIMESTAMP or TIME value cut (towards the past) to <paramref name="precision"/> fraction digits.</summary>
    public static long TruncateTicks(long ticks, int precision)
    {
        if (precision >= 7)
        {
            return ticks;
        }

        var unit = (long)Math.Pow(10, 7 - precision);
        var remainder = ticks % unit;
        return ticks - (remainder < 0 ? remainder + unit : remainder);
    }

    private static object?[] MapArray(object?[] values, Func<object, object> convert)
    {
        var result = new object?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i] is { } v ? convert(v) : null;
        }

        return result;
    }

    private static Func<object, object> SameKind(SqlType from, SqlType to)
    {
        switch (to.Kind)
        {
            case SqlTypeKind.Decimal:
                return value => ToDecimal((decimal)value, to);
            case SqlTypeKind.Timestamp or SqlTypeKind.TimestampLtz or SqlTypeKind.Time when to.Precision < 7:
                return Datetime(from, to);
            case SqlTypeKind.Array:
                {
                    var element = Converter(from.Element!, to.Element!);
                    return value => MapArray((object?[])value, element);
                }

            case SqlTypeKind.Map:
                {
                    var key = Converter(from.Key!, to.Key!);
                    var item = Converter(from.Element!, to.Element!);
                    return value =>
                    {
                        var source = (Dictionary<object, object?>)value;
                        var result = new Dictionary<object, object?>(source.Count, SqlValues.EqualityComparer);
                        foreach (var (k, v) in source)
                        {
                            result[key(k)] = v is null ? null : item(v);
                        }

                        return result;
                    };
                }

            case SqlTypeKind.Row:
                {
                    var fields = new Func<object, object>[to.Fields.Count];
                    for (var i = 0; i < fields.Length; i++)
                    {
                        fields[i] = Converter(from.Fields[i].Type, to.Fields[i].Type);
                    }

                    return value =>
                    {
                        var row = (Row)value;
                        var result = new object?[fields.Length];
                        for (var i = 0; i < fields.Length; i++)
                        {
                            result[i] = row[i] is { } v ? fields[i](v) : null;
                        }

                        return new Row(result);
                    };
                }

            default:
                return static value => value;
        }
    }

    private static Func<object, object>? FitLength(SqlType to)
    {
        var length = to.Precision;
        if (to.Kind == SqlTypeKind.Char)
        {
            return value =>
            {
                var text = (string)value;
                return text.Length > length ? text[..length] : text.PadRight(length);
            };
        }

        return length == SqlType.MaxLength ? null : value => ((string)value).Length > length ? ((string)value)[..length] : value;
    }

    private static Func<object, object> FromText(SqlType to)
    {
        switch (to.Kind)
        {
            case SqlTypeKind.Boolean:
                return static value => ((string)value).Trim().ToUpperInvariant() switch
                {
                    "TRUE" or "T" or "YES" or "Y" or "1" => true,
                    "FALSE" or "F" or "NO" or "N" or "0" => false,
                    _ => throw new FormatException("not a boolean"),
                };
            case SqlTypeKind.TinyInt:
                return static value => sbyte.Parse(((string)value).Trim(), NumberStyles.AllowLeadingSign, Invariant);
            case SqlTypeKind.SmallInt:
                return static value => short.Parse(((string)value).Trim(), NumberStyles.AllowLeadingSign, Invariant);
            case SqlTypeKind.Int:
                return static value => int.Parse(((string)value).Trim(), NumberStyles.AllowLeadingSign, Invariant);
            case SqlTypeKind.BigInt:
                return static value => long.Parse(((string)value).Trim(), NumberStyles.AllowLeadingSign, Invariant);
            case SqlTypeKind.Float:
                return static value => float.Parse(((string)value).Trim(), NumberStyles.Float, Invariant);
            case SqlTypeKind.Double:
                return static value => double.Parse(((string)value).Trim(), NumberStyles.Float, Invariant);
            case SqlTypeKind.Decimal:
                return value => ToDecimal(decimal.Parse(((string)value).Trim(), NumberStyles.Float, Invariant), to);
            case SqlTypeKind.Bytes:
                return static value => Encoding.UTF8.GetBytes((string)value);
            case SqlTypeKind.Date:
                return static value => ParseDate((string)value);
            case SqlTypeKind.Time:
                return value => new TimeOnly(TruncateTicks(ParseTime((string)value).Ticks, to.Precision));
            case SqlTypeKind.Timestamp:
                return value => new DateTime(TruncateTicks(ParseTimestamp((string)value).Ticks, to.Precision), DateTimeKind.Unspecified);
            case SqlTypeKind.TimestampLtz:
                return value =>
                {
                    var text = ((string)value).Trim();
                    var ticks = text.EndsWith('Z') ? ParseTimestamp(text[..^1]).Ticks : ParseTimestamp(text).Ticks;
                    return new DateTimeOffset(TruncateTicks(ticks, to.Precision), TimeSpan.Zero);
                };
            case SqlTypeKind.IntervalDayTime:
                return static value => ParseDayTime((string)value);
            case SqlTypeKind.IntervalYearMonth:
                return static value => ParseYearMonth((string)value);
            default:
                return value => throw new InvalidCastException($"CAST from a string to {to} is not supported");
        }
    }

    private static Func<object, object> ToNumber(SqlType from, SqlType to)
    {
        Func<object, object> viaLong = from.Kind switch
        {
            SqlTypeKind.Boolean => static value => (bool)value ? 1L : 0L,
            SqlTypeKind.TinyInt => static value => (long)(sbyte)value,
            SqlTypeKind.SmallInt => static value => (long)(short)value,
            SqlTypeKind.Int => static value => (long)(int)value,
            SqlTypeKind.BigInt => static value => value,
            _ => static value => value,
        };
        var integral = from.Kind is SqlTypeKind.Boolean || SqlTypeRules.IsExactInteger(from);
        switch (to.Kind)
        {
            case SqlTypeKind.TinyInt or SqlTypeKind.SmallInt or SqlTypeKind.Int or SqlTypeKind.BigInt:
                {
                    Func<object, long> asLong = integral ? value => (long)viaLong(value)
                        : from.Kind == SqlTypeKind.Decimal ? static value => decimal.ToInt64(decimal.Truncate((decimal)value))
                        : from.Kind == SqlTypeKind.Float ? static value => JavaLong((float)value)
                        : static value => JavaLong((double)value);
                    var fromFloating = from.Kind is SqlTypeKind.Float or SqlTypeKind.Double;
                    return to.Kind switch
                    {
                        // Java's casts: integers wrap; a floating-point number saturates at the int range first.
                        SqlTypeKind.TinyInt => value => unchecked((sbyte)(fromFloating ? Saturate(asLong(value)) : asLong(value))),
                        SqlTypeKind.SmallInt => value => unchecked((short)(fromFloating ? Saturate(asLong(value)) : asLong(value))),
                        SqlTypeKind.Int => value => fromFloating ? Saturate(asLong(value)) : unchecked((int)asLong(value)),
                        _ => value => asLong(value),
                    };
                }

            case SqlTypeKind.Decimal:
                return integral ? value => ToDecimal((long)viaLong(value), to)
                    : from.Kind == SqlTypeKind.Decimal ? value => ToDecimal((decimal)value, to)
                    : from.Kind == SqlTypeKind.Float ? value => ToDecimal((decimal)(float)value, to)
                    : value => ToDecimal((decimal)(double)value, to);
            case SqlTypeKind.Float:
                return integral ? value => (float)(long)viaLong(value)
                    : from.Kind == SqlTypeKind.Decimal ? static value => (float)(decimal)value
                    : from.Kind == SqlTypeKind.Float ? static value => value
                    : static value => (float)(double)value;
            default:
                return integral ? value => (double)(long)viaLong(value)
                    : from.Kind == SqlTypeKind.Decimal ? static value => (double)(decimal)value
                    : from.Kind == SqlTypeKind.Float ? static value => (double)(float)value
                    : static value => value;
        }
    }

    private static decimal ToDecimal(decimal value, SqlType to)
    {
        var scaled = SqlValues.WithScale(value, to.Scale);
        return SqlValues.FitsPrecision(scaled, to.Precision, to.Scale)
            ? scaled
            : throw new OverflowException($"{value.ToString(Invariant)} does not fit {to.WithNullable(true)}");
    }

    private static long JavaLong(double value) =>
        double.IsNaN(value) ? 0 : value >= long.MaxValue ? long.MaxValue : value <= long.MinValue ? long.MinValue : (long)value;

    private static int Saturate(long value) => (int)Math.Clamp(value, int.MinValue, int.MaxValue);

    private static Func<object, object> Datetime(SqlType from, SqlType to, bool truncate = true)
    {
        Func<object, DateTime> wallClock = from.Kind switch
        {
            SqlTypeKind.Date => static value => ((DateOnly)value).ToDateTime(TimeOnly.MinValue),
            SqlTypeKind.Time => static value => DateTime.UnixEpoch.Add(((TimeOnly)value).ToTimeSpan()),
            SqlTypeKind.Timestamp => static value => (DateTime)value,
            _ => static value => ((DateTimeOffset)value).UtcDateTime,
        };
        var precision = truncate ? to.Precision : 9;
        return to.Kind switch
        {
            SqlTypeKind.Date => value => DateOnly.FromDateTime(wallClock(value)),
            SqlTypeKind.Time => value => new TimeOnly(TruncateTicks(wallClock(value).TimeOfDay.Ticks, precision)),
            SqlTypeKind.Timestamp => value => new DateTime(TruncateTicks(wallClock(value).Ticks, precision), DateTimeKind.Unspecified),
            _ => value => new DateTimeOffset(TruncateTicks(wallClock(value).Ticks, precision), TimeSpan.Zero),
        };
    }

    private static string Fraction(int precision) => precision <= 0 ? string.Empty : "." + new string('f', Math.Min(precision, 7));

    private static string CutFraction(string text)
    {
        // .NET reads at most 7 fraction digits (100 ns); SQL allows 9, so the last two are dropped.
        var point = text.LastIndexOf('.');
        if (point < 0)
        {
            return text;
        }

        var digits = 0;
        while (point + 1 + digits < text.Length && char.IsAsciiDigit(text[point + 1 + digits]))
        {
            digits++;
        }

        return digits > 7 ? string.Concat(text.AsSpan(0, point + 8), text.AsSpan(point + 1 + digits)) : text;
    }

    private static string DayTimeText(TimeSpan value)
    {
        var sign = value < TimeSpan.Zero ? "-" : "+";
        var magnitude = value.Duration();
        return string.Create(Invariant, $"{sign}{magnitude.Days} {magnitude.Hours:00}:{magnitude.Minutes:00}:{magnitude.Seconds:00}.{magnitude.Milliseconds:000}");
    }

    /// <summary>Reads the form <see cref="DayTimeText"/> writes: <c>[+-]d hh:mm:ss[.fff]</c>.</summary>
    private static TimeSpan ParseDayTime(string text)
    {
        var match = DayTimePattern.Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException("not an interval of the form +d hh:mm:ss.fff");
        }

        var magnitude = new TimeSpan(int.Parse(match.Groups[2].Value, Invariant), int.Parse(match.Groups[3].Value, Invariant), int.Parse(match.Groups[4].Value, Invariant), int.Parse(match.Groups[5].Value, Invariant))
            + TimeSpan.FromTicks(match.Groups[6].Success ? (long)(decimal.Parse("0" + match.Groups[6].Value, Invariant) * TimeSpan.TicksPerSecond) : 0);
        return match.Groups[1].Value == "-" ? magnitude.Negate() : magnitude;
    }

    /// <summary>Reads the form <see cref="YearMonthText"/> writes: <c>[+-]y-mm</c>.</summary>
    private static int ParseYearMonth(string text)
    {
        var match = YearMonthPattern.Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException("not an interval of the form +y-mm");
        }

        var months = checked((int.Parse(match.Groups[2].Value, Invariant) * 12) + int.Parse(match.Groups[3].Value, Invariant));
        return match.Groups[1].Value == "-" ? -months : months;
    }

    private static string YearMonthText(int months)
    {
        var sign = months < 0 ? "-" : "+";
        var magnitude = Math.Abs((long)months);
        return string.Create(Invariant, $"{sign}{magnitude / 12}-{magnitude % 12:00}");
    }

    private static string JavaText(double value, string shortest)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        var negative = shortest.StartsWith('-');
        var body = negative ? shortest[1..] : shortest;
        var magnitude = Math.Abs(value);
        string digits;
        int exponent;
        var e = body.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            digits = body[..e].Replace(".", string.Empty, StringComparison.Ordinal);
            exponent = int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, Invariant);
        }
        else
        {
            var point = body.IndexOf('.', StringComparison.Ordinal);
            var integer = point < 0 ? body : body[..point];
            var fraction = point < 0 ? string.Empty : body[(point + 1)..];
            if (integer.TrimStart('0').Length > 0)
            {
                integer = integer.TrimStart('0');
                exponent = integer.Length - 1;
                digits = integer + fraction;
            }
            else
            {
                var zeros = fraction.Length - fraction.TrimStart('0').Length;
                exponent = -(zeros + 1);
                digits = fraction[zeros..];
            }
        }

        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return negative ? "-0.0" : "0.0";
        }

        var sign = negative ? "-" : string.Empty;
        if (magnitude >= 1e-3 && magnitude < 1e7)
        {
            if (exponent >= 0)
            {
                var whole = digits.Length > exponent + 1 ? digits[..(exponent + 1)] : digits.PadRight(exponent + 1, '0');
                var rest = digits.Length > exponent + 1 ? digits[(exponent + 1)..] : "0";
                return sign + whole + "." + rest;
            }

            return sign + "0." + new string('0', -exponent - 1) + digits;
        }

        return sign + digits[0] + "." + (digits.Length > 1 ? digits[1..] : "0") + "E" + exponent.ToString(Invariant);
    }
}
