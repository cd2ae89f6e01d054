namespace Freshet.Sql.Binding;

/// <summary>
/// "Did you mean" for unknown names: the closest candidate by edit distance (at most 1 for names of up to 3
/// characters, else 2; a case-insensitive match counts as 0), or null. Pure; thread-safe.
/// </summary>
internal static class NameSuggestions
{
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase)
                ? 0
                : Distance(name.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance && distance < name.Length && distance <= (name.Length <= 3 ? 1 : 2))
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>The message suffix "; did you mean 'x'?" or an empty string.</summary>
    public static string Hint(string name, IEnumerable<string> candidates) =>
        Closest(name, candidates) is { } suggestion ? $"; did you mean '{suggestion}'?" : string.Empty;

    private static int Distance(string a, string b)
    {
        // Names are short, and a length gap above 2 can never be within the threshold.
        if (Math.Abs(a.Length - b.Length) > 2 || a.Length > 128 || b.Length > 128)
        {
            return int.MaxValue;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
