using System.Text;
using System.Text.Json;

namespace Freshet.Dashboard.Jobs;

/// <summary>
/// JSON for the keys and values of queryable tables, whose types are the job's own: System.Text.Json with the web
/// defaults (camelCase), by reflection since the types are not known when the dashboard is compiled. Thread-safe.
/// </summary>
internal static class TableJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Writes <paramref name="value"/> (of <paramref name="type"/>, or null) into <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, object? value, Type type) => JsonSerializer.Serialize(writer, value, type, Options);

    /// <summary>A readable full name: <c>System.Collections.Generic.KeyValuePair&lt;System.String, System.Int64&gt;</c>.</summary>
    public static string TypeName(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.FullName ?? type.Name;
        }

        var name = new StringBuilder();
        var definition = type.GetGenericTypeDefinition().FullName ?? type.Name;
        var tick = definition.IndexOf('`', StringComparison.Ordinal);
        name.Append(tick < 0 ? definition : definition[..tick]).Append('<');
        var arguments = type.GetGenericArguments();
        for (var i = 0; i < arguments.Length; i++)
        {
            name.Append(i == 0 ? "" : ", ").Append(TypeName(arguments[i]));
        }

        return name.Append('>').ToString();
    }
}
