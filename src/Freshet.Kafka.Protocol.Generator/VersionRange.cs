using System.Globalization;

namespace Freshet.Kafka.Protocol.Generator;

/// <summary>
/// An inclusive range of API versions as a schema writes it: <c>3+</c> (3 and every later version),
/// <c>0-4</c>, <c>5</c> (that version alone) or <c>none</c> (empty). "Every later version" is stored as
/// <see cref="short.MaxValue"/>. An immutable value.
/// </summary>
internal readonly struct VersionRange
{
    public static readonly VersionRange None = new(1, 0);

    public VersionRange(short lowest, short highest)
    {
        Lowest = lowest;
        Highest = highest;
    }

    public short Lowest { get; }

    public short Highest { get; }

    public bool IsEmpty => Lowest > Highest;

    public static bool TryParse(string text, out VersionRange range)
    {
        range = None;
        if (text == "none")
        {
            return true;
        }

        if (text.EndsWith("+", System.StringComparison.Ordinal))
        {
            if (!TryParseVersion(text.Substring(0, text.Length - 1), out short from))
            {
                return false;
            }

            range = new VersionRange(from, short.MaxValue);
            return true;
        }

        int dash = text.IndexOf('-');
        if (dash > 0)
        {
            if (!TryParseVersion(text.Substring(0, dash), out short from) || !TryParseVersion(text.Substring(dash + 1), out short to) || to < from)
            {
                return false;
            }

            range = new VersionRange(from, to);
            return true;
        }

        if (!TryParseVersion(text, out short only))
        {
            return false;
        }

        range = new VersionRange(only, only);
        return true;
    }

    public VersionRange Intersect(VersionRange other) =>
        new(System.Math.Max(Lowest, other.Lowest), System.Math.Min(Highest, other.Highest));

    public bool Contains(VersionRange other) => other.IsEmpty || (other.Lowest >= Lowest && other.Highest <= Highest);

    /// <summary>
    /// The C# condition on a local named <c>version</c> that holds inside this range, given that
    /// <c>version</c> is already known to lie in <paramref name="known"/>; null when it always holds.
    /// </summary>
    public string? ConditionWithin(VersionRange known)
    {
        bool needLow = Lowest > known.Lowest;
        bool needHigh = Highest < known.Highest;
        if (needLow && needHigh)
        {
            return Lowest == Highest
                ? "version == " + Lowest.ToString(CultureInfo.InvariantCulture)
                : "version is >= " + Lowest.ToString(CultureInfo.InvariantCulture) + " and <= " + Highest.ToString(CultureInfo.InvariantCulture);
        }

        if (needLow)
        {
            return "version >= " + Lowest.ToString(CultureInfo.InvariantCulture);
        }

        return needHigh ? "version <= " + Highest.ToString(CultureInfo.InvariantCulture) : null;
    }

    public override string ToString()
    {
        if (IsEmpty)
        {
            return "none";
        }

        if (Highest == short.MaxValue)
        {
            return Lowest.ToString(CultureInfo.InvariantCulture) + "+";
        }

        return Lowest == Highest
            ? Lowest.ToString(CultureInfo.InvariantCulture)
            : Lowest.ToString(CultureInfo.InvariantCulture) + "-" + Highest.ToString(CultureInfo.InvariantCulture);
    }

    private static bool TryParseVersion(string text, out short version) =>
        short.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version);
}
