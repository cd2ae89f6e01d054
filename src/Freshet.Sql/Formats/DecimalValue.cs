using Freshet.Sql.Typing;

namespace Freshet.Sql.Formats;

/// <summary>Fits a decimal read from a record to its column's DECIMAL(p, s), as Flink's formats do: rounded half-up
/// to s digits after the point, NULL when the result needs more than p digits. Stateless; thread-safe.</summary>
internal static class DecimalValue
{
    public static decimal? Fit(decimal value, SqlType type)
    {
        var rounded = Math.Round(value, type.Scale, MidpointRounding.AwayFromZero);
        var integerDigits = type.Precision - type.Scale;
        var limit = integerDigits >= 29 ? decimal.MaxValue : Pow10(integerDigits);
        return Math.Abs(decimal.Truncate(rounded)) >= limit ? null : rounded;
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }
}
