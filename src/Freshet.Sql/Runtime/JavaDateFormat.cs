using System.Text;
using Freshet.Sql.Binding;

namespace Freshet.Sql.Runtime;

/// <summary>
/// Translates the date-time patterns of Java's <c>SimpleDateFormat</c>/<c>DateTimeFormatter</c>, which Flink's
/// DATE_FORMAT, TO_TIMESTAMP and TO_DATE take (<c>yyyy-MM-dd HH:mm:ss.SSS</c>), into .NET custom format strings for
/// <see cref="DateTime.ToString(string, IFormatProvider)"/> and <see cref="DateTime.TryParseExact(string, string, IFormatProvider, System.Globalization.DateTimeStyles, out DateTime)"/>.
/// Letters: y, M (MMM short and MMMM full month names), d, H, h, m, s, S (fraction digits), a, E; zone letters
/// Z, X and z print UTC (<c>+0000</c>, <c>Z</c>, <c>UTC</c>), the session zone. Text in single quotes is literal,
/// <c>''</c> is a quote. Other letters are refused. Pure; thread-safe.
/// </summary>
internal static class JavaDateFormat
{
    /// <summary>The .NET format string for a Java pattern.</summary>
    /// <exception cref="FormatException">The pattern uses a letter that is not supported.</exception>
    public static string ToDotNet(string pattern)
    {
        var format = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '\'')
                {
                    format.Append("\\'");
                    i += 2;
                    continue;
                }

                var end = i + 1;
                while (end < pattern.Length && !(pattern[end] == '\'' && (end + 1 >= pattern.Length || pattern[end + 1] != '\'')))
                {
                    if (pattern[end] == '\'')
                    {
                        end++;
                    }

                    Literal(format, pattern[end]);
                    end++;
                }

                i = end + 1;
                continue;
            }

            if (!char.IsAsciiLetter(c))
            {
                Literal(format, c);
                i++;
                continue;
            }

            var count = 1;
            while (i + count < pattern.Length && pattern[i + count] == c)
            {
                count++;
            }

            format.Append(c switch
            {
                'y' or 'u' => count == 2 ? "yy" : "yyyy",
                'M' or 'L' => count switch { 1 => "%M", 2 => "MM", 3 => "MMM", _ => "MMMM" },
                'd' => count == 1 ? "%d" : "dd",
                'H' => count == 1 ? "%H" : "HH",
                'h' => count == 1 ? "%h" : "hh",
                'm' => count == 1 ? "%m" : "mm",
                's' => count == 1 ? "%s" : "ss",
                'S' => count == 1 ? "%f" : new string('f', Math.Min(count, 7)) + new string('0', Math.Max(0, count - 7)),
                'a' => "tt",
                'E' => count <= 3 ? "ddd" : "dddd",
                'Z' => "'+0000'",
                'X' => "'Z'",
                'z' => "'UTC'",
                _ => throw new FormatException($"date format letter '{c}' is not supported"),
            });
            i += count;
        }

        return format.ToString();
    }

    /// <summary>Pattern value → .NET format, translated once when <paramref name="pattern"/> is a literal and for the
    /// last pattern seen otherwise. An unsupported pattern is a <see cref="SqlRuntimeException"/> at <paramref name="span"/>.</summary>
    public static Func<string, string> Cached(BoundExpression pattern, Syntax.SqlSpan span)
    {
        string Translate(string text)
        {
            try
            {
                return ToDotNet(text);
            }
            catch (FormatException e)
            {
                throw new SqlRuntimeException($"Invalid date format '{text}': {e.Message}", span, e);
            }
        }

        if (pattern is BoundLiteral literal && SqlValues.ParseLiteral(literal) is string constant)
        {
            var translated = Translate(constant);
            return _ => translated;
        }

        Tuple<string, string>? last = null;
        return text =>
        {
            var seen = last;
            if (seen is not null && seen.Item1 == text)
            {
                return seen.Item2;
            }

            var translated = Translate(text);
            last = Tuple.Create(text, translated);
            return translated;
        };
    }

    private static void Literal(StringBuilder format, char c) => format.Append('\\').Append(c);
}
