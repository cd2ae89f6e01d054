using System.Text;
using Freshet.Sql.Connectors;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Formats;

/// <summary>
/// Makes the <see cref="IRowFormat"/> a table's options name (<c>format</c>, <c>key.format</c>, <c>value.format</c>),
/// reading that format's options under the same prefix, with Flink's names and defaults:
/// <list type="bullet">
/// <item><c>json</c>: <c>json.fail-on-missing-field</c> (false), <c>json.ignore-parse-errors</c> (false),
/// <c>json.timestamp-format.standard</c> (<c>SQL</c> | <c>ISO-8601</c>), <c>json.encode.ignore-null-fields</c> (false).</item>
/// <item><c>csv</c>: <c>csv.field-delimiter</c> (<c>,</c>), <c>csv.quote-character</c> (<c>"</c>),
/// <c>csv.null-literal</c> (none), <c>csv.array-element-delimiter</c> (<c>;</c>), <c>csv.allow-comments</c> (false),
/// <c>csv.ignore-parse-errors</c> (false).</item>
/// <item><c>raw</c>: exactly one column of STRING or BYTES; <c>raw.charset</c> (UTF-8), <c>raw.endianness</c>
/// (<c>big-endian</c> | <c>little-endian</c>; accepted for Flink compatibility, numbers are not supported).</item>
/// </list>
/// Stateless; thread-safe.
/// </summary>
internal static class RowFormats
{
    /// <summary>The formats <see cref="Create(string, IReadOnlyList{ValueTuple{string, SqlType}}, IReadOnlyDictionary{string, string}, string)"/> knows.</summary>
    public static readonly IReadOnlyList<string> Known = ["csv", "json", "raw"];

    /// <summary>The format <paramref name="format"/> for rows of <paramref name="columns"/>.</summary>
    /// <param name="format">The format's name (the value of the <c>format</c> option).</param>
    /// <param name="columns">The columns a row holds, in order.</param>
    /// <param name="options">All of the table's WITH options.</param>
    /// <param name="optionPrefix"><c>""</c> for <c>format</c>, <c>"key."</c> or <c>"value."</c> for the key and value formats.</param>
    /// <exception cref="SqlValidationException">The format is unknown, an option of it is unknown or invalid, or it
    /// cannot hold a column's type.</exception>
    public static IRowFormat Create(string format, IReadOnlyList<(string Name, SqlType Type)> columns, IReadOnlyDictionary<string, string> options, string optionPrefix) =>
        FromOptions(format, columns, new OptionReader(options), options, optionPrefix);

    /// <summary>As <see cref="Create(string, IReadOnlyList{ValueTuple{string, SqlType}}, IReadOnlyDictionary{string, string}, string)"/>,
    /// recording the options read in <paramref name="reader"/>.</summary>
    internal static IRowFormat FromOptions(string format, IReadOnlyList<(string Name, SqlType Type)> columns, OptionReader reader, IReadOnlyDictionary<string, string> options, string optionPrefix)
    {
        var p = optionPrefix + format + ".";
        IRowFormat result;
        switch (format)
        {
            case "json":
            {
                JsonRowFormat.CheckTypes(columns);
                var failOnMissing = reader.Bool(p + "fail-on-missing-field", false);
                var ignoreErrors = reader.Bool(p + "ignore-parse-errors", false);
                if (failOnMissing && ignoreErrors)
                {
                    throw new SqlValidationException($"Options '{p}fail-on-missing-field' and '{p}ignore-parse-errors' cannot both be true");
                }

                var iso = reader.Choice(p + "timestamp-format.standard", "SQL", "SQL", "ISO-8601") == "ISO-8601";
                result = new JsonRowFormat(columns, failOnMissing, ignoreErrors, iso, reader.Bool(p + "encode.ignore-null-fields", false));
                break;
            }

            case "csv":
            {
                CsvRowFormat.CheckTypes(columns);
                var delimiter = reader.Char(p + "field-delimiter", ',');
                var quote = reader.Char(p + "quote-character", '"');
                var arrayDelimiter = reader.Char(p + "array-element-delimiter", ';');
                if (delimiter == quote || delimiter is '\r' or '\n' || quote is '\r' or '\n')
                {
                    throw new SqlValidationException($"Options '{p}field-delimiter' and '{p}quote-character' must differ and not be line breaks");
                }

                result = new CsvRowFormat(columns, delimiter, quote, reader.String(p + "null-literal"), arrayDelimiter, reader.Bool(p + "allow-comments", false), reader.Bool(p + "ignore-parse-errors", false));
                break;
            }

            case "raw":
            {
                if (columns.Count != 1 || columns[0].Type.Kind is not (SqlTypeKind.Varchar or SqlTypeKind.Char or SqlTypeKind.Bytes))
                {
                    throw new SqlValidationException(
                        $"The raw format needs exactly one column of type STRING or BYTES, but has {string.Join(", ", columns.Select(c => $"'{c.Name}' {c.Type}"))}");
                }

                reader.Choice(p + "endianness", "big-endian", "big-endian", "little-endian");
                var charsetName = reader.String(p + "charset") ?? "UTF-8";
                Encoding charset;
                try
                {
                    charset = Encoding.GetEncoding(charsetName);
                }
                catch (ArgumentException)
                {
                    throw new SqlValidationException($"Option '{p}charset' names an unknown charset '{charsetName}'; use for example 'UTF-8', 'UTF-16', 'US-ASCII' or 'ISO-8859-1'");
                }

                result = new RawRowFormat(columns, charset);
                break;
            }

            default:
                throw new SqlValidationException($"Unknown format '{format}' in option '{optionPrefix}format'; known formats: {OptionReader.Quoted(Known)}");
        }

        foreach (var name in options.Keys.Order(StringComparer.Ordinal))
        {
            if (name.StartsWith(p, StringComparison.Ordinal) && reader.String(name) is not null && !IsKnown(format, name[p.Length..]))
            {
                throw new SqlValidationException($"Unsupported option '{name}' of the {format} format; supported: {OptionReader.Quoted(KnownOptions(format).Select(o => p + o))}");
            }
        }

        return result;
    }

    private static bool IsKnown(string format, string option) => KnownOptions(format).Contains(option);

    private static string[] KnownOptions(string format) => format switch
    {
        "json" => ["fail-on-missing-field", "ignore-parse-errors", "timestamp-format.standard", "encode.ignore-null-fields"],
        "csv" => ["field-delimiter", "quote-character", "null-literal", "array-element-delimiter", "allow-comments", "ignore-parse-errors"],
        _ => ["charset", "endianness"],
    };
}
