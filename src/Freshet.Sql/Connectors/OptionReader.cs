using System.Globalization;

namespace Freshet.Sql.Connectors;

/// <summary>
/// Reads a table's WITH options by their full names, checking each value, and remembers which names it read, so that
/// <see cref="RefuseUnread"/> can name every option no connector or format knows. Errors are
/// <see cref="SqlValidationException"/>s naming the option, its value and the allowed values. Not thread-safe; one per
/// validation.
/// </summary>
internal sealed class OptionReader
{
    private readonly IReadOnlyDictionary<string, string> _options;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<string> _readPrefixes = [];

    public OptionReader(IReadOnlyDictionary<string, string> options)
    {
        _options = options;
    }

    /// <summary>The option's value, or null when it is not given.</summary>
    public string? String(string name)
    {
        _read.Add(name);
        return _options.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>The option's value; an error when it is missing or blank.</summary>
    public string Required(string name, string purpose)
    {
        var value = String(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new SqlValidationException($"Option '{name}' is required: {purpose}");
        }

        return value;
    }

    public bool Bool(string name, bool defaultValue)
    {
        var value = String(name);
        if (value is null)
        {
            return defaultValue;
        }

        if (bool.TryParse(value, out var parsed))
        {
            return parsed;
        }

        throw new SqlValidationException($"Option '{name}' must be 'true' or 'false', but is '{value}'");
    }

    public long Long(string name, long defaultValue, long min = 0, long max = long.MaxValue)
    {
        var value = String(name);
        if (value is null)
        {
            return defaultValue;
        }

        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max)
        {
            return parsed;
        }

        throw new SqlValidationException($"Option '{name}' must be an integer from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, but is '{value}'");
    }

    /// <summary>One of <paramref name="allowed"/> (compared ignoring case, as Flink's enum options are); returns the
    /// allowed spelling.</summary>
    public string Choice(string name, string defaultValue, params string[] allowed)
    {
        var value = String(name);
        if (value is null)
        {
            return defaultValue;
        }

        foreach (var candidate in allowed)
        {
            if (string.Equals(candidate, value, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        throw new SqlValidationException($"Option '{name}' must be one of {Quoted(allowed)}, but is '{value}'");
    }

    /// <summary>A single character, given as itself or as <c>\t</c> for a tab.</summary>
    public char Char(string name, char defaultValue)
    {
        var value = String(name);
        if (value is null)
        {
            return defaultValue;
        }

        if (value == "\\t")
        {
            return '\t';
        }

        if (value.Length != 1)
        {
            throw new SqlValidationException($"Option '{name}' must be a single character, but is '{value}'");
        }

        return value[0];
    }

    /// <summary>Marks every option whose name starts with <paramref name="prefix"/> as known (Kafka's
    /// <c>properties.*</c>, passed through to the client).</summary>
    public IReadOnlyDictionary<string, string> WithPrefix(string prefix)
    {
        _readPrefixes.Add(prefix);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in _options)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                found[name[prefix.Length..]] = value;
            }
        }

        return found;
    }

    /// <summary>Refuses the first option (in ordinal order) that nothing read, listing the options that were read.</summary>
    public void RefuseUnread(string what)
    {
        foreach (var name in _options.Keys.Order(StringComparer.Ordinal))
        {
            if (name == Catalog.SqlCatalog.ConnectorOption || _read.Contains(name) || _readPrefixes.Exists(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                continue;
            }

            var known = _read.Order(StringComparer.Ordinal).Select(n => $"'{n}'").Concat(_readPrefixes.Select(p => $"'{p}*'"));
            throw new SqlValidationException($"Unsupported option '{name}' for {what}; supported options: {string.Join(", ", known)}");
        }
    }

    public static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"'{v}'"));
}
