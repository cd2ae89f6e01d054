using System.Globalization;
using System.Text.Json;

namespace Freshet.Dashboard.Jobs;

/// <summary>
/// Turns the key text of a table URL into the table's key type: strings as they are; integers (decimal, invariant
/// culture) and <see cref="Guid"/>s parsed; any other type read as JSON text with System.Text.Json (web defaults: a
/// record key is <c>{"country":"NL","zone":3}</c>). Pure; thread-safe.
/// </summary>
internal static class TableKeyParser
{
    /// <summary>Reads <paramref name="text"/> as a <paramref name="keyType"/>.</summary>
    /// <returns>False, with the reason in <paramref name="error"/>, when the text is not such a key.</returns>
    public static bool TryParse(string text, Type keyType, out object? key, out string error)
    {
        key = null;
        error = "";
        var type = Nullable.GetUnderlyingType(keyType) ?? keyType;
        if (type == typeof(string))
        {
            key = text;
            return true;
        }

        if (type == typeof(Guid))
        {
            if (Guid.TryParse(text, out var guid))
            {
                key = guid;
                return true;
            }

            error = $"'{text}' is not a GUID.";
            return false;
        }

        if (IsInteger(type))
        {
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var signed) && FitsSigned(type, signed))
            {
                key = Convert.ChangeType(signed, type, CultureInfo.InvariantCulture);
                return true;
            }

            if (ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unsigned) && type == typeof(ulong))
            {
                key = unsigned;
                return true;
            }

            error = $"'{text}' is not a {type.Name} (a decimal integer in its range).";
            return false;
        }

        try
        {
            key = JsonSerializer.Deserialize(text, type, TableJson.Options);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            error = $"'{text}' is not the JSON of a {type.Name}: {e.Message}";
            return false;
        }

        if (key is null)
        {
            error = "The key must not be null.";
            return false;
        }

        return true;
    }

    private static bool IsInteger(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(sbyte) ||
        type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(byte);

    private static bool FitsSigned(Type type, long value) =>
        type == typeof(long) ? true
        : type == typeof(int) ? value is >= int.MinValue and <= int.MaxValue
        : type == typeof(short) ? value is >= short.MinValue and <= short.MaxValue
        : type == typeof(sbyte) ? value is >= sbyte.MinValue and <= sbyte.MaxValue
        : type == typeof(uint) ? value is >= 0 and <= uint.MaxValue
        : type == typeof(ushort) ? value is >= 0 and <= ushort.MaxValue
        : type == typeof(byte) ? value is >= 0 and <= byte.MaxValue
        : value >= 0; // ulong
}
