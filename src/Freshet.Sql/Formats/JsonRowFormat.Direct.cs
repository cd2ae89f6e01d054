using System.Globalization;
using System.Text;
using System.Text.Json;
using Freshet.Sql.Typing;

namespace Freshet.Sql.Formats;

/// <summary>
/// The direct decoder: one forward pass of a <see cref="Utf8JsonReader"/> straight into the row's values, with no
/// document tree, for records whose every value converts in the plain way (a JSON number into a numeric column, a
/// string into a string or TIMESTAMP column, an object into a ROW, a boolean into a BOOLEAN, null anywhere). Fields that
/// are not columns are skipped (still checked to be valid JSON). For anything else (another pairing of value and type,
/// a duplicate field, a missing field the options forbid, trailing data, invalid JSON or text) it gives up and
/// <see cref="DecodeDocument"/> decodes the record, so results and error messages are the document decoder's.
/// </summary>
internal sealed partial class JsonRowFormat
{
    private readonly JsonFields _fields;

    /// <summary>The row of a record the direct decoder can read, or null to hand the record to <see cref="DecodeDocument"/>.</summary>
    internal Row? TryDecodeDirect(ReadOnlySpan<byte> bytes)
    {
        if (!_fields.Direct)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(bytes, isFinalBlock: true, new JsonReaderState(_readerOptions));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var values = TryReadObject(ref reader, _fields);
            return values is null || reader.Read() ? null : new Row(values);
        }
        catch (Exception e) when (IsDataError(e))
        {
            return null;
        }
    }

    /// <summary>The values of the object the reader is at (its start), in <paramref name="fields"/>' order; the reader
    /// ends at the object's end. Null when the object needs the document decoder.</summary>
    private object?[]? TryReadObject(ref Utf8JsonReader reader, JsonFields fields)
    {
        var values = new object?[fields.Count];
        ulong seen = 0;
        var next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = fields.IndexOf(ref reader, next);
            if (index < 0)
            {
                reader.Skip();
                continue;
            }

            var bit = 1UL << index;
            if ((seen & bit) != 0 || !reader.Read() || !TryReadValue(ref reader, fields.Types[index], fields.Nested[index], out values[index]))
            {
                return null;
            }

            seen |= bit;
            next = index + 1;
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return null;
        }

        return _failOnMissingField && seen != fields.All ? null : values;
    }

    private bool TryReadValue(ref Utf8JsonReader reader, SqlType type, JsonFields? nested, out object? value)
    {
        value = null;
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            return true;
        }

        var invariant = CultureInfo.InvariantCulture;
        switch (type.Kind)
        {
            case SqlTypeKind.Boolean when token is JsonTokenType.True or JsonTokenType.False:
                value = token == JsonTokenType.True;
                return true;
            case SqlTypeKind.TinyInt when token == JsonTokenType.Number && sbyte.TryParse(reader.ValueSpan, NumberStyles.Integer, invariant, out var tiny):
                value = tiny;
                return true;
            case SqlTypeKind.SmallInt when token == JsonTokenType.Number && short.TryParse(reader.ValueSpan, NumberStyles.Integer, invariant, out var small):
                value = small;
                return true;
            case SqlTypeKind.Int when token == JsonTokenType.Number && int.TryParse(reader.ValueSpan, NumberStyles.Integer, invariant, out var integer):
                value = integer;
                return true;
            case SqlTypeKind.BigInt when token == JsonTokenType.Number && long.TryParse(reader.ValueSpan, NumberStyles.Integer, invariant, out var big):
                value = big;
                return true;
            case SqlTypeKind.Float when token == JsonTokenType.Number && float.TryParse(reader.ValueSpan, NumberStyles.Float, invariant, out var single):
                value = single;
                return true;
            case SqlTypeKind.Double when token == JsonTokenType.Number && double.TryParse(reader.ValueSpan, NumberStyles.Float, invariant, out var number):
                value = number;
                return true;
            case SqlTypeKind.Decimal when token == JsonTokenType.Number && decimal.TryParse(reader.ValueSpan, NumberStyles.Float, invariant, out var exact):
                value = DecimalValue.Fit(exact, type);
                return true;
            case SqlTypeKind.Char or SqlTypeKind.Varchar when token == JsonTokenType.String:
                value = reader.GetString();
                return true;
            case SqlTypeKind.Timestamp when token == JsonTokenType.String && !reader.ValueIsEscaped
                && SqlValueText.TryTimestamp(reader.ValueSpan, _isoTimestamps, out var timestamp):
                value = timestamp;
                return true;
            case SqlTypeKind.Row when token == JsonTokenType.StartObject && nested is not null:
                var values = TryReadObject(ref reader, nested);
                value = values is null ? null : new Row(values);
                return values is not null;
            default:
                return false;
        }
    }

    /// <summary>
    /// The columns (or a ROW's fields) as the direct decoder matches them: UTF-8 names, types, and the fields of each
    /// ROW. <see cref="Direct"/> is false for schemas it does not take (more than 64 fields at one level, as the
    /// fields seen are a bit mask). Immutable; thread-safe.
    /// </summary>
    private sealed class JsonFields
    {
        private readonly byte[][] _names;

        private JsonFields(IReadOnlyList<(string Name, SqlType Type)> fields)
        {
            Count = fields.Count;
            _names = new byte[Count][];
            Types = new SqlType[Count];
            Nested = new JsonFields?[Count];
            Direct = Count <= 64;
            for (var i = 0; i < Count; i++)
            {
                _names[i] = Encoding.UTF8.GetBytes(fields[i].Name);
                Types[i] = fields[i].Type;
                if (fields[i].Type.Kind == SqlTypeKind.Row)
                {
                    var nested = new JsonFields([.. fields[i].Type.Fields.Select(static f => (f.Name, f.Type))]);
                    Nested[i] = nested;
                    Direct &= nested.Direct;
                }
            }

            All = Count == 64 ? ulong.MaxValue : (1UL << Count) - 1;
        }

        public int Count { get; }

        public SqlType[] Types { get; }

        public JsonFields?[] Nested { get; }

        public bool Direct { get; }

        /// <summary>The bit mask with a bit set for every field.</summary>
        public ulong All { get; }

        public static JsonFields For(IReadOnlyList<(string Name, SqlType Type)> columns) => new(columns);

        /// <summary>The index of the field whose name the reader is at, or -1. Starts looking at <paramref name="start"/>,
        /// the field after the last one found, so records written in column order match on the first try.</summary>
        public int IndexOf(ref Utf8JsonReader reader, int start)
        {
            for (var n = 0; n < Count; n++)
            {
                var i = start + n;
                i = i >= Count ? i - Count : i;
                if (reader.ValueTextEquals(_names[i]))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
