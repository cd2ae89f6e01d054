using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Formats;

/// <summary>
/// Flink's <c>json</c> format: a record is one JSON object whose field names are the column names (case-sensitive;
/// other fields are ignored). Numbers are JSON numbers (FLOAT and DOUBLE NaN and infinities as the strings
/// <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>), DECIMAL a JSON number rounded half-up to the column's scale
/// (NULL when it does not fit the precision, as in Flink), strings JSON strings (a non-string value read into a string
/// column is its JSON text), BYTES base64, dates and times as <see cref="SqlValueText"/> writes them (TIMESTAMP per
/// <c>json.timestamp-format.standard</c>), INTERVAL DAY TO SECOND a number of milliseconds, INTERVAL YEAR TO MONTH a
/// number of months, ARRAY a JSON array, MAP a JSON object (keys must be strings), ROW a nested object. A missing field
/// is NULL unless <c>json.fail-on-missing-field</c>. Nesting deeper than the schema needs (at least 64) is refused, so
/// hostile input cannot exhaust the stack. Thread-safe.
/// </summary>
internal sealed partial class JsonRowFormat : RowFormat
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly bool _failOnMissingField;
    private readonly bool _isoTimestamps;
    private readonly bool _ignoreNullFields;
    private readonly JsonReaderOptions _readerOptions;

    public JsonRowFormat(IReadOnlyList<(string Name, SqlType Type)> columns, bool failOnMissingField, bool ignoreParseErrors, bool isoTimestamps, bool ignoreNullFields)
        : base("json", columns, ignoreParseErrors)
    {
        _failOnMissingField = failOnMissingField;
        _isoTimestamps = isoTimestamps;
        _ignoreNullFields = ignoreNullFields;
        var depth = 1;
        foreach (var (_, type) in columns)
        {
            depth = Math.Max(depth, 1 + Depth(type));
        }

        _readerOptions = new JsonReaderOptions { MaxDepth = Math.Max(64, depth + 1), CommentHandling = JsonCommentHandling.Disallow };
        _fields = JsonFields.For(columns);
    }

    /// <summary>Refuses a schema the format cannot hold: MAP keys that are not strings (JSON object keys are).</summary>
    public static void CheckTypes(IReadOnlyList<(string Name, SqlType Type)> columns)
    {
        foreach (var (name, type) in columns)
        {
            CheckType(name, type);
        }
    }

    private static void CheckType(string name, SqlType type)
    {
        switch (type.Kind)
        {
            case SqlTypeKind.Map:
                if (type.Key!.Kind is not (SqlTypeKind.Varchar or SqlTypeKind.Char))
                {
                    throw new SqlValidationException($"Column '{name}': the json format supports MAP keys of type STRING only, not {type.Key}");
                }

                CheckType(name, type.Element!);
                break;
            case SqlTypeKind.Array:
                CheckType(name, type.Element!);
                break;
            case SqlTypeKind.Row:
                foreach (var field in type.Fields)
                {
                    CheckType($"{name}.{field.Name}", field.Type);
                }

                break;
        }
    }

    private static int Depth(SqlType type) => type.Kind switch
    {
        SqlTypeKind.Array or SqlTypeKind.Map => 1 + Depth(type.Element!),
        SqlTypeKind.Row => 1 + type.Fields.Select(f => Depth(f.Type)).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    public override Row? Decode(ReadOnlySpan<byte> bytes) => TryDecodeDirect(bytes) ?? DecodeDocument(bytes);

    /// <summary>The general decoder: the record parsed into a <see cref="JsonDocument"/>, then each column looked up
    /// and converted. It defines the format's results and error messages; <see cref="TryDecodeDirect"/> gives the
    /// same rows for the common records, faster.</summary>
    internal Row? DecodeDocument(ReadOnlySpan<byte> bytes)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(bytes, isFinalBlock: true, new JsonReaderState(_readerOptions));
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                document.Dispose();
                return BadRecord($"unexpected {reader.TokenType} after the JSON object at byte {reader.TokenStartIndex}");
            }
        }
        catch (JsonException e)
        {
            return BadRecord($"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return BadRecord($"expected a JSON object but found {Describe(root)}");
            }

            var values = new object?[Columns.Count];
            try
            {
                for (var i = 0; i < values.Length; i++)
                {
                    var (name, type) = Columns[i];
                    if (!root.TryGetProperty(name, out var field))
                    {
                        if (_failOnMissingField)
                        {
                            return BadRecord($"field '{name}' is missing");
                        }

                        continue;
                    }

                    values[i] = Read(field, type, name);
                }
            }
            catch (FieldException e)
            {
                return BadRecord(e.Message, e.InnerException);
            }
            catch (Exception e) when (IsDataError(e))
            {
                // Invalid UTF-8 inside a string or property name is found only when the string is read.
                return BadRecord(e.Message, e);
            }

            return new Row(values);
        }
    }

    private object? Read(JsonElement element, SqlType type, string path)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        try
        {
            return type.Kind switch
            {
                SqlTypeKind.Boolean => element.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.String when bool.TryParse(element.GetString(), out var b) => b,
                    _ => throw Expected("a boolean", element, path),
                },
                SqlTypeKind.TinyInt => sbyte.Parse(NumberText(element, path), NumberStyles.Integer, CultureInfo.InvariantCulture),
                SqlTypeKind.SmallInt => short.Parse(NumberText(element, path), NumberStyles.Integer, CultureInfo.InvariantCulture),
                SqlTypeKind.Int => int.Parse(NumberText(element, path), NumberStyles.Integer, CultureInfo.InvariantCulture),
                SqlTypeKind.BigInt => long.Parse(NumberText(element, path), NumberStyles.Integer, CultureInfo.InvariantCulture),
                SqlTypeKind.Float => float.Parse(NumberText(element, path), NumberStyles.Float, CultureInfo.InvariantCulture),
                SqlTypeKind.Double => double.Parse(NumberText(element, path), NumberStyles.Float, CultureInfo.InvariantCulture),
                SqlTypeKind.Decimal => DecimalValue.Fit(decimal.Parse(NumberText(element, path), NumberStyles.Float, CultureInfo.InvariantCulture), type),
                SqlTypeKind.Char or SqlTypeKind.Varchar => element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText(),
                SqlTypeKind.Bytes => element.ValueKind == JsonValueKind.String ? element.GetBytesFromBase64() : throw Expected("a base64 string", element, path),
                SqlTypeKind.Date => SqlValueText.TryDate(Text(element, path), out var date) ? date : throw Expected("a date 'yyyy-MM-dd'", element, path),
                SqlTypeKind.Time => SqlValueText.TryTime(Text(element, path), out var time) ? time : throw Expected("a time 'HH:mm:ss'", element, path),
                SqlTypeKind.Timestamp => SqlValueText.TryTimestamp(Text(element, path), _isoTimestamps, out var timestamp)
                    ? timestamp
                    : throw Expected(_isoTimestamps ? "an ISO-8601 timestamp 'yyyy-MM-ddTHH:mm:ss.SSS'" : "a timestamp 'yyyy-MM-dd HH:mm:ss.SSS'", element, path),
                SqlTypeKind.TimestampLtz => SqlValueText.TryTimestampLtz(Text(element, path), _isoTimestamps, out var instant)
                    ? instant
                    : throw Expected(_isoTimestamps ? "an ISO-8601 UTC timestamp 'yyyy-MM-ddTHH:mm:ss.SSSZ'" : "a UTC timestamp 'yyyy-MM-dd HH:mm:ss.SSSZ'", element, path),
                SqlTypeKind.IntervalDayTime => TimeSpan.FromMilliseconds(long.Parse(NumberText(element, path), NumberStyles.Integer, CultureInfo.InvariantCulture)),
                SqlTypeKind.IntervalYearMonth => int.Parse(NumberText(element, path), NumberStyles.Integer, CultureInfo.InvariantCulture),
                SqlTypeKind.Array => ReadArray(element, type, path),
                SqlTypeKind.Map => ReadMap(element, type, path),
                SqlTypeKind.Row => ReadRow(element, type, path),
                _ => throw new FieldException($"field '{path}' has type {type}, which the json format cannot read", null),
            };
        }
        catch (Exception e) when (e is not FieldException && IsDataError(e))
        {
            throw new FieldException($"field '{path}' of type {type.WithNullable(true)}: cannot read {Describe(element)}: {e.Message}", e);
        }
    }

    private object?[] ReadArray(JsonElement element, SqlType type, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Expected("an array", element, path);
        }

        var values = new object?[element.GetArrayLength()];
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            values[i] = Read(item, type.Element!, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]");
            i++;
        }

        return values;
    }

    private Dictionary<object, object?> ReadMap(JsonElement element, SqlType type, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Expected("an object", element, path);
        }

        var map = new Dictionary<object, object?>();
        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = Read(property.Value, type.Element!, path + "." + property.Name);
        }

        return map;
    }

    private Row ReadRow(JsonElement element, SqlType type, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Expected("an object", element, path);
        }

        var values = new object?[type.Fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var field = type.Fields[i];
            if (element.TryGetProperty(field.Name, out var value))
            {
                values[i] = Read(value, field.Type, path + "." + field.Name);
            }
            else if (_failOnMissingField)
            {
                throw new FieldException($"field '{path}.{field.Name}' is missing", null);
            }
        }

        return new Row(values);
    }

    // Flink reads numbers from JSON numbers and from strings holding them.
    private static string NumberText(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.String => element.GetString()!.Trim(),
        _ => throw Expected("a number", element, path),
    };

    private static string Text(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Expected("a string", element, path);

    private static FieldException Expected(string what, JsonElement found, string path) =>
        new($"field '{path}': expected {what} but found {Describe(found)}", null);

    private static string Describe(JsonElement element)
    {
        var kind = element.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };
        var text = element.GetRawText();
        return text.Length <= 40 ? $"{kind} {text}" : $"{kind} {text[..40]}...";
    }

    public override byte[]? Encode(Row row)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            for (var i = 0; i < Columns.Count; i++)
            {
                var value = row[i];
                if (value is null && _ignoreNullFields)
                {
                    continue;
                }

                writer.WritePropertyName(Columns[i].Name);
                Write(writer, value, Columns[i].Type);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void Write(Utf8JsonWriter writer, object? value, SqlType type)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case sbyte v:
                writer.WriteNumberValue(v);
                break;
            case short v:
                writer.WriteNumberValue(v);
                break;
            case int v:
                writer.WriteNumberValue(v);
                break;
            case long v:
                writer.WriteNumberValue(v);
                break;
            case float v when float.IsFinite(v):
                writer.WriteNumberValue(v);
                break;
            case double v when double.IsFinite(v):
                writer.WriteNumberValue(v);
                break;
            case float or double:
                writer.WriteStringValue(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case decimal v:
                writer.WriteNumberValue(v);
                break;
            case string v:
                writer.WriteStringValue(v);
                break;
            case byte[] v:
                writer.WriteBase64StringValue(v);
                break;
            case DateOnly v:
                writer.WriteStringValue(SqlValueText.Date(v));
                break;
            case TimeOnly v:
                writer.WriteStringValue(SqlValueText.Time(v));
                break;
            case DateTime v:
                writer.WriteStringValue(SqlValueText.Timestamp(v, _isoTimestamps));
                break;
            case DateTimeOffset v:
                writer.WriteStringValue(SqlValueText.TimestampLtz(v, _isoTimestamps));
                break;
            case TimeSpan v:
                writer.WriteNumberValue((long)v.TotalMilliseconds);
                break;
            case object?[] array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item, type.Element!);
                }

                writer.WriteEndArray();
                break;
            case Dictionary<object, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName((string)key);
                    Write(writer, item, type.Element!);
                }

                writer.WriteEndObject();
                break;
            case Row nested:
                writer.WriteStartObject();
                for (var i = 0; i < type.Fields.Count; i++)
                {
                    writer.WritePropertyName(type.Fields[i].Name);
                    Write(writer, nested[i], type.Fields[i].Type);
                }

                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentException($"{value.GetType()} is not a SQL value of type {type} (see Row)", nameof(value));
        }
    }

    /// <summary>A field that does not convert; carries the field's path to the record's error.</summary>
    private sealed class FieldException(string message, Exception? inner) : Exception(message, inner);
}
