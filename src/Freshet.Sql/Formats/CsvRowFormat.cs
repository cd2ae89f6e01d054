using System.Globalization;
using System.Text;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Formats;

/// <summary>
/// Flink's <c>csv</c> format (RFC 4180): a record is one line of fields, one per column in order, separated by
/// <c>csv.field-delimiter</c>; a field that holds the delimiter, the quote character, a line break, or is empty, is
/// quoted with <c>csv.quote-character</c> and a quote inside is doubled. A trailing line break of the record is ignored.
/// NULL is an unquoted empty field, or an unquoted field equal to <c>csv.null-literal</c> when that is set (so the
/// empty string, written <c>""</c>, stays distinct from NULL). Values are written as <see cref="JsonRowFormat"/>'s
/// text forms (BYTES base64, timestamps in the SQL form, intervals as numbers); numbers, booleans, dates and times may
/// have surrounding spaces. ARRAY of a scalar type joins its elements with <c>csv.array-element-delimiter</c> (an empty
/// array is <c>""</c>); an element that is empty, contains that delimiter or is NULL without a null literal cannot be
/// written. MAP, ROW and nested arrays are refused, as in Flink. Lines starting with <c>#</c> are skipped with
/// <c>csv.allow-comments</c>. Thread-safe.
/// </summary>
internal sealed class CsvRowFormat : RowFormat
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly char _delimiter;
    private readonly char _quote;
    private readonly string? _nullLiteral;
    private readonly char _arrayDelimiter;
    private readonly bool _allowComments;

    public CsvRowFormat(IReadOnlyList<(string Name, SqlType Type)> columns, char delimiter, char quote, string? nullLiteral, char arrayDelimiter, bool allowComments, bool ignoreParseErrors)
        : base("csv", columns, ignoreParseErrors)
    {
        _delimiter = delimiter;
        _quote = quote;
        _nullLiteral = nullLiteral;
        _arrayDelimiter = arrayDelimiter;
        _allowComments = allowComments;
    }

    /// <summary>Refuses the types the csv format cannot hold: MAP, ROW and arrays of non-scalar elements.</summary>
    public static void CheckTypes(IReadOnlyList<(string Name, SqlType Type)> columns)
    {
        foreach (var (name, type) in columns)
        {
            var scalar = type.Kind == SqlTypeKind.Array ? type.Element! : type;
            if (scalar.Kind is SqlTypeKind.Map or SqlTypeKind.Row or SqlTypeKind.Array)
            {
                throw new SqlValidationException($"Column '{name}': the csv format does not support {type}; use the json format for nested data");
            }
        }
    }

    public override Row? Decode(ReadOnlySpan<byte> bytes)
    {
        string line;
        try
        {
            line = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            return BadRecord("not valid UTF-8", e);
        }

        if (line.EndsWith('\n'))
        {
            line = line.EndsWith("\r\n", StringComparison.Ordinal) ? line[..^2] : line[..^1];
        }

        if (_allowComments && line.StartsWith('#'))
        {
            return null;
        }

        var fields = new List<(string Text, bool Quoted)>(Columns.Count);
        if (Split(line, fields) is { } problem)
        {
            return BadRecord(problem);
        }

        if (fields.Count != Columns.Count)
        {
            return BadRecord($"{fields.Count} fields but the table has {Columns.Count} columns");
        }

        var values = new object?[fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var (text, quoted) = fields[i];
            var (name, type) = Columns[i];
            if (IsNull(text, quoted))
            {
                continue;
            }

            try
            {
                values[i] = type.Kind == SqlTypeKind.Array ? ReadArray(text, type.Element!) : Read(text, type);
            }
            catch (Exception e) when (IsDataError(e))
            {
                var shown = text.Length <= 40 ? text : text[..40] + "...";
                return BadRecord($"field {i + 1} ('{name}' of type {type.WithNullable(true)}) cannot be read from '{shown}': {e.Message}", e);
            }
        }

        return new Row(values);
    }

    private bool IsNull(string text, bool quoted) => !quoted && (text.Length == 0 || text == _nullLiteral);

    /// <summary>Splits a line into fields; returns what is wrong, or null.</summary>
    private string? Split(string line, List<(string Text, bool Quoted)> fields)
    {
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == _quote)
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return $"field {fields.Count + 1} has no closing quote";
                    }

                    if (line[i] == _quote)
                    {
                        if (i + 1 < line.Length && line[i + 1] == _quote)
                        {
                            field.Append(_quote);
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                fields.Add((field.ToString(), true));
                if (i < line.Length && line[i] != _delimiter)
                {
                    return $"field {fields.Count} has text after its closing quote at character {i + 1}";
                }
            }
            else
            {
                var end = line.IndexOf(_delimiter, i);
                var text = end < 0 ? line[i..] : line[i..end];
                if (text.Contains(_quote, StringComparison.Ordinal))
                {
                    return $"field {fields.Count + 1} has a quote character but is not quoted";
                }

                fields.Add((text, false));
                i = end < 0 ? line.Length : end;
            }

            if (i >= line.Length)
            {
                return null;
            }

            i++; // the delimiter
            if (i == line.Length)
            {
                fields.Add((string.Empty, false));
                return null;
            }
        }
    }

    private object?[] ReadArray(string text, SqlType element)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var parts = text.Split(_arrayDelimiter);
        var values = new object?[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            values[i] = parts[i] == _nullLiteral ? null : Read(parts[i], element);
        }

        return values;
    }

    private static object? Read(string text, SqlType type)
    {
        var invariant = CultureInfo.InvariantCulture;
        return type.Kind switch
        {
            SqlTypeKind.Char or SqlTypeKind.Varchar => text,
            SqlTypeKind.Boolean => bool.Parse(text.Trim()),
            SqlTypeKind.TinyInt => sbyte.Parse(text.Trim(), NumberStyles.Integer, invariant),
            SqlTypeKind.SmallInt => short.Parse(text.Trim(), NumberStyles.Integer, invariant),
            SqlTypeKind.Int => int.Parse(text.Trim(), NumberStyles.Integer, invariant),
            SqlTypeKind.BigInt => long.Parse(text.Trim(), NumberStyles.Integer, invariant),
            SqlTypeKind.Float => float.Parse(text.Trim(), NumberStyles.Float, invariant),
            SqlTypeKind.Double => double.Parse(text.Trim(), NumberStyles.Float, invariant),
            SqlTypeKind.Decimal => DecimalValue.Fit(decimal.Parse(text.Trim(), NumberStyles.Float, invariant), type),
            SqlTypeKind.Bytes => Convert.FromBase64String(text.Trim()),
            SqlTypeKind.Date => SqlValueText.TryDate(text.Trim(), out var date) ? date : throw new FormatException("expected a date 'yyyy-MM-dd'"),
            SqlTypeKind.Time => SqlValueText.TryTime(text.Trim(), out var time) ? time : throw new FormatException("expected a time 'HH:mm:ss'"),
            SqlTypeKind.Timestamp => SqlValueText.TryTimestamp(text.Trim(), iso: false, out var timestamp) ? timestamp : throw new FormatException("expected a timestamp 'yyyy-MM-dd HH:mm:ss.SSS'"),
            SqlTypeKind.TimestampLtz => SqlValueText.TryTimestampLtz(text.Trim(), iso: false, out var instant) ? instant : throw new FormatException("expected a UTC timestamp 'yyyy-MM-dd HH:mm:ss.SSSZ'"),
            SqlTypeKind.IntervalDayTime => TimeSpan.FromMilliseconds(long.Parse(text.Trim(), NumberStyles.Integer, invariant)),
            SqlTypeKind.IntervalYearMonth => int.Parse(text.Trim(), NumberStyles.Integer, invariant),
            _ => throw new FormatException($"the csv format cannot read {type}"),
        };
    }

    public override byte[]? Encode(Row row)
    {
        var line = new StringBuilder();
        for (var i = 0; i < Columns.Count; i++)
        {
            if (i > 0)
            {
                line.Append(_delimiter);
            }

            var value = row[i];
            if (value is null)
            {
                line.Append(_nullLiteral);
                continue;
            }

            var text = value is object?[] array ? ArrayText(array, Columns[i].Name) : Text(value);
            var quote = text.Length == 0 || text == _nullLiteral || text.AsSpan().IndexOfAny([_delimiter, _quote, '\r', '\n']) >= 0;
            if (quote)
            {
                line.Append(_quote).Append(text.Replace(_quote.ToString(), new string(_quote, 2), StringComparison.Ordinal)).Append(_quote);
            }
            else
            {
                line.Append(text);
            }
        }

        return Encoding.UTF8.GetBytes(line.ToString());
    }

    private string ArrayText(object?[] array, string column)
    {
        var text = new StringBuilder();
        for (var i = 0; i < array.Length; i++)
        {
            if (i > 0)
            {
                text.Append(_arrayDelimiter);
            }

            if (array[i] is null)
            {
                text.Append(_nullLiteral ?? throw new SqlFormatException($"Cannot write a csv record: column '{column}' has a NULL array element and 'csv.null-literal' is not set"));
                continue;
            }

            var element = Text(array[i]!);
            if (element.Length == 0 || element.Contains(_arrayDelimiter, StringComparison.Ordinal) || element == _nullLiteral)
            {
                throw new SqlFormatException($"Cannot write a csv record: column '{column}' has an array element '{element}' that is empty, contains the array element delimiter '{_arrayDelimiter}' or is the null literal");
            }

            text.Append(element);
        }

        return text.ToString();
    }

    private static string Text(object value) => value switch
    {
        string v => v,
        bool v => v ? "true" : "false",
        byte[] v => Convert.ToBase64String(v),
        DateOnly v => SqlValueText.Date(v),
        TimeOnly v => SqlValueText.Time(v),
        DateTime v => SqlValueText.Timestamp(v, iso: false),
        DateTimeOffset v => SqlValueText.TimestampLtz(v, iso: false),
        TimeSpan v => ((long)v.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        float v => v.ToString("R", CultureInfo.InvariantCulture),
        double v => v.ToString("R", CultureInfo.InvariantCulture),
        IFormattable v => v.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"{value.GetType()} is not a SQL value (see Row)", nameof(value)),
    };
}
