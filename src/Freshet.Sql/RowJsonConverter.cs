using System.Text.Json;
using System.Text.Json.Serialization;

namespace Freshet.Sql;

/// <summary>
/// Writes a <see cref="Row"/> as a JSON array of its values, in column order, with the options in use (so a row
/// served by the REST API of interactive queries reads as <c>[42, "apple", 1250]</c>); nested rows are arrays, maps
/// are objects keyed by the map key's text. Reading is refused: a row's values need its column types to be read back
/// exactly (a JSON number could be INT, BIGINT or DECIMAL). Stateless; thread-safe.
/// </summary>
internal sealed class RowJsonConverter : JsonConverter<Row>
{
    public override Row Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("A Row cannot be read from JSON without its column types");

    public override void Write(Utf8JsonWriter writer, Row value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value.Values)
        {
            WriteValue(writer, item, options);
        }

        writer.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case object?[] array:
                writer.WriteStartArray();
                foreach (var element in array)
                {
                    WriteValue(writer, element, options);
                }

                writer.WriteEndArray();
                break;
            case Dictionary<object, object?> map:
                writer.WriteStartObject();
                foreach (var (key, entry) in map)
                {
                    writer.WritePropertyName(Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
                    WriteValue(writer, entry, options);
                }

                writer.WriteEndObject();
                break;
            default:
                // Rows (through this converter), strings, numbers, times and byte arrays (base64) as System.Text.Json writes them.
                JsonSerializer.Serialize(writer, value, value.GetType(), options);
                break;
        }
    }
}
