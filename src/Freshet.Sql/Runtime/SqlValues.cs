using System.Globalization;
using Freshet.Sql.Binding;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Runtime;

/// <summary>
/// Conversions and ordering of SQL values in their .NET representation (see <see cref="Row"/>): event-time
/// milliseconds, literal values, the total order ORDER BY, MIN/MAX and comparisons use, and the text form CAST to
/// STRING gives. Pure functions; thread-safe.
/// </summary>
internal static class SqlValues
{
    /// <summary>Ticks (100 ns) of 1970-01-01 00:00.</summary>
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    /// <summary>Milliseconds since 1970-01-01 00:00 UTC of a TIMESTAMP (<see cref="DateTime"/>, wall-clock time read as
    /// UTC whatever its <see cref="DateTime.Kind"/>) or TIMESTAMP_LTZ (<see cref="DateTimeOffset"/>); sub-millisecond
    /// digits are dropped towards the past.</summary>
    public static long ToEpochMillis(object timestampValue) => timestampValue switch
    {
        DateTime time => FloorDiv(time.Ticks - EpochTicks, TimeSpan.TicksPerMillisecond),
        DateTimeOffset instant => FloorDiv(instant.UtcTicks - EpochTicks, TimeSpan.TicksPerMillisecond),
        _ => throw new ArgumentException($"{timestampValue?.GetType().Name ?? "null"} is not a TIMESTAMP or TIMESTAMP_LTZ value", nameof(timestampValue)),
    };

    /// <summary>The TIMESTAMP (<see cref="DateTime"/> of kind Unspecified) or TIMESTAMP_LTZ (<see cref="DateTimeOffset"/> in
    /// UTC) at <paramref name="millis"/> since 1970-01-01 00:00 UTC.</summary>
    public static object FromEpochMillis(long millis, SqlType type) => type.Kind switch
    {
        SqlTypeKind.Timestamp => (object)new DateTime(EpochTicks + (millis * TimeSpan.TicksPerMillisecond), DateTimeKind.Unspecified),
        SqlTypeKind.TimestampLtz => (object)new DateTimeOffset(EpochTicks + (millis * TimeSpan.TicksPerMillisecond), TimeSpan.Zero),
        _ => throw new ArgumentException($"{type} is not TIMESTAMP or TIMESTAMP_LTZ", nameof(type)),
    };

    /// <summary>The value of a literal from its canonical text (see <see cref="BoundLiteral"/>), in the representation
    /// of its type; null for NULL.</summary>
    /// <exception cref="SqlValidationException">The text does not denote a value of the type (for example a DECIMAL
    /// literal beyond the 28 significant digits .NET's decimal holds).</exception>
    public static object? ParseLiteral(BoundLiteral literal)
    {
        ArgumentNullException.ThrowIfNull(literal);
        if (literal.Text is not { } text)
        {
            return null;
        }

        var culture = CultureInfo.InvariantCulture;
        try
        {
            return literal.Type.Kind switch
            {
                SqlTypeKind.Boolean => text.Equals("TRUE", StringComparison.OrdinalIgnoreCase),
                SqlTypeKind.TinyInt => sbyte.Parse(text, culture),
                SqlTypeKind.SmallInt => short.Parse(text, culture),
                SqlTypeKind.Int => int.Parse(text, culture),
                SqlTypeKind.BigInt => long.Parse(text, culture),
                SqlTypeKind.Decimal => decimal.Parse(text, NumberStyles.Float, culture),
                SqlTypeKind.Float => float.Parse(text, NumberStyles.Float, culture),
                SqlTypeKind.Double => double.Parse(text, NumberStyles.Float, culture),
                SqlTypeKind.Char or SqlTypeKind.Varchar => text.StartsWith('\'') ? Unquote(text) : text,
                SqlTypeKind.Date => SqlCasts.ParseDate(Unquote(AfterKeyword(text))),
                SqlTypeKind.Time => SqlCasts.ParseTime(Unquote(AfterKeyword(text))),
                SqlTypeKind.Timestamp => SqlCasts.ParseTimestamp(Unquote(AfterKeyword(text))),
                SqlTypeKind.IntervalDayTime or SqlTypeKind.IntervalYearMonth => IntervalLiterals.Parse(text),
                _ => throw new SqlValidationException($"Literal {text} of type {literal.Type} is not supported at run time", literal.Span),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
        {
            throw new SqlValidationException($"Literal {text} is not a valid {literal.Type.WithNullable(true)}: {e.Message}", literal.Span);
        }
    }

    /// <summary>
    /// Orders two non-null values of the same SQL type: numbers by value, strings by UTF-16 code unit (as Java's
    /// <c>String.compareTo</c>), FALSE before TRUE, byte strings by unsigned bytes, times chronologically, intervals by
    /// length, rows and arrays field by field (NULL first, then shorter first). MAP values are not ordered.
    /// </summary>
    public static int Compare(object a, object b)
    {
        switch (a, b)
        {
            case (string x, string y):
                return string.CompareOrdinal(x, y);
            case (int x, int y):
                return x.CompareTo(y);
            case (long x, long y):
                return x.CompareTo(y);
            case (double x, double y):
                return x.CompareTo(y);
            case (decimal x, decimal y):
                return x.CompareTo(y);
            case (DateTime x, DateTime y):
                return x.Ticks.CompareTo(y.Ticks);
            case (DateTimeOffset x, DateTimeOffset y):
                return x.UtcTicks.CompareTo(y.UtcTicks);
            case (byte[] x, byte[] y):
                return x.AsSpan().SequenceCompareTo(y);
            case (Row x, Row y):
                return CompareSequences(x.Values, y.Values);
            case (object?[] x, object?[] y):
                return CompareSequences(x, y);
            case (Dictionary<object, object?>, _):
                throw new ArgumentException("MAP values have no order");
            case (IComparable x, _) when a.GetType() == b.GetType():
                return x.CompareTo(b);
            default:
                throw new ArgumentException($"Cannot compare {a.GetType().Name} with {b.GetType().Name}");
        }
    }

    /// <summary><see cref="Compare"/> extended to NULL, which sorts first.</summary>
    public static int CompareNullsFirst(object? a, object? b) =>
        a is null ? (b is null ? 0 : -1) : b is null ? 1 : Compare(a, b);

    /// <summary>A comparer by <see cref="Compare"/> for sorted collections of non-null values of one type.</summary>
    public static IComparer<object> Comparer { get; } = Comparer<object>.Create(Compare);

    /// <summary>Equality and stable hashing by SQL value (byte strings, arrays, maps and rows by content), for
    /// dictionaries keyed by values.</summary>
    public static IEqualityComparer<object> EqualityComparer { get; } = new ValueEqualityComparer();

    /// <summary>A DECIMAL with exactly <paramref name="scale"/> digits after the point, rounded half away from zero as
    /// Java's <c>RoundingMode.HALF_UP</c>.</summary>
    public static decimal WithScale(decimal value, int scale)
    {
        var rounded = Math.Round(value, Math.Min(scale, 28), MidpointRounding.AwayFromZero);
        return scale > 0 && scale <= 28 ? rounded + new decimal(0, 0, 0, false, (byte)scale) : rounded;
    }

    /// <summary>Whether <paramref name="value"/> fits DECIMAL(<paramref name="precision"/>, <paramref name="scale"/>)
    /// once rounded to the scale.</summary>
    public static bool FitsPrecision(decimal value, int precision, int scale)
    {
        var integerDigits = precision - scale;
        if (integerDigits >= 29)
        {
            return true;
        }

        var limit = 1m;
        for (var i = 0; i < integerDigits; i++)
        {
            limit *= 10;
        }

        return Math.Abs(value) < limit;
    }

    private static long FloorDiv(long value, long divisor)
    {
        var quotient = value / divisor;
        return (value % divisor) < 0 ? quotient - 1 : quotient;
    }

    private static int CompareSequences(ReadOnlySpan<object?> x, ReadOnlySpan<object?> y)
    {
        var common = Math.Min(x.Length, y.Length);
        for (var i = 0; i < common; i++)
        {
            var order = CompareNullsFirst(x[i], y[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    private static string AfterKeyword(string text) => text[text.IndexOf('\'', StringComparison.Ordinal)..];

    /// <summary>The content of a SQL string literal <c>'it''s'</c>.</summary>
    private static string Unquote(string quoted)
    {
        var end = quoted.LastIndexOf('\'');
        return quoted[1..end].Replace("''", "'", StringComparison.Ordinal);
    }

    private sealed class ValueEqualityComparer : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y) => Row.ValueEquals(x, y);

        public int GetHashCode(object obj) => Row.ValueHash(obj);
    }
}
