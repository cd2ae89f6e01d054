using System.Globalization;
using System.Text;

namespace Freshet.Broker.Configuration;

/// <summary>
/// Reads the Java properties format Kafka's <c>server.properties</c> uses: one <c>key=value</c>,
/// <c>key: value</c> or <c>key value</c> per logical line; <c>#</c> and <c>!</c> start comment lines;
/// a line ending in an odd number of backslashes continues on the next; escapes <c>\t \n \r \f \\ \uXXXX</c>;
/// whitespace around the separator and at the start of lines is ignored. A key given twice keeps its
/// last value, as <c>java.util.Properties</c> does. Pure; thread-safe.
/// </summary>
internal static class JavaProperties
{
    /// <summary>One property and the line it starts on (from 1).</summary>
    public readonly record struct Entry(string Key, string Value, int Line);

    /// <summary>Parses <paramref name="text"/>; later entries for a key replace earlier ones.</summary>
    /// <exception cref="FormatException">A malformed <c>\u</c> escape, naming the line.</exception>
    public static IReadOnlyList<Entry> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<Entry>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var startLine = i + 1;
            var line = lines[i].TrimStart(' ', '\t', '\f');
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            var logical = new StringBuilder();
            while (EndsWithContinuation(line) && i + 1 < lines.Length)
            {
                logical.Append(line, 0, line.Length - 1);
                line = lines[++i].TrimStart(' ', '\t', '\f');
            }

            logical.Append(EndsWithContinuation(line) ? line[..^1] : line);
            var (key, value) = Split(logical.ToString(), startLine);
            var entry = new Entry(key, value, startLine);
            if (positions.TryGetValue(key, out var at))
            {
                entries[at] = entry;
            }
            else
            {
                positions[key] = entries.Count;
                entries.Add(entry);
            }
        }

        return entries;
    }

    private static bool EndsWithContinuation(string line)
    {
        var backslashes = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    private static (string Key, string Value) Split(string line, int lineNumber)
    {
        var end = 0;
        while (end < line.Length && !(line[end] is '=' or ':' or ' ' or '\t' or '\f'))
        {
            end += line[end] == '\\' ? 2 : 1;
        }

        end = Math.Min(end, line.Length);
        var key = Unescape(line[..end], lineNumber);
        var rest = line[end..].TrimStart(' ', '\t', '\f');
        if (rest.Length > 0 && rest[0] is '=' or ':')
        {
            rest = rest[1..].TrimStart(' ', '\t', '\f');
        }

        return (key, Unescape(rest, lineNumber));
    }

    private static string Unescape(string text, int lineNumber)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                result.Append(text[i]);
                continue;
            }

            var escaped = text[++i];
            switch (escaped)
            {
                case 't': result.Append('\t'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 'f': result.Append('\f'); break;
                case 'u':
                    if (text.Length - i - 1 < 4
                        || !ushort.TryParse(text.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw new FormatException($"line {lineNumber}: a \\u escape needs four hexadecimal digits.");
                    }

                    result.Append((char)code);
                    i += 4;
                    break;
                default: result.Append(escaped); break;
            }
        }

        return result.ToString();
    }
}
