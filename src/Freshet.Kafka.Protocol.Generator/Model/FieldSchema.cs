namespace Freshet.Kafka.Protocol.Generator.Model;

/// <summary>One field of a struct: its wire type, the versions it exists in, and how it is nullable, tagged and defaulted.</summary>
internal sealed class FieldSchema
{
    public FieldSchema(string name, int line)
    {
        Name = name;
        Line = line;
    }

    /// <summary>The property name, also the field name in <c>KafkaProtocolException</c>s.</summary>
    public string Name { get; }

    public int Line { get; }

    /// <summary>The type of the value, or of each element when <see cref="IsArray"/>.</summary>
    public PrimitiveType Type { get; set; }

    public bool IsArray { get; set; }

    /// <summary>The struct name when <see cref="Type"/> is <see cref="PrimitiveType.Struct"/>.</summary>
    public string? StructName { get; set; }

    public StructSchema? Struct { get; set; }

    /// <summary>The versions the field is on the wire, already cut to the API's versions.</summary>
    public VersionRange Versions { get; set; }

    /// <summary>The versions in which the field may be null, already cut to <see cref="Versions"/>.</summary>
    public VersionRange NullableVersions { get; set; } = VersionRange.None;

    /// <summary>The tag of a tagged field, or null for a field written in line.</summary>
    public int? Tag { get; set; }

    /// <summary>The default as the schema wrote it, or null for the type's own default.</summary>
    public string? Default { get; set; }

    public string Doc { get; set; } = "";

    /// <summary>Whether the C# property may hold null: the field is nullable in some version, or records.</summary>
    public bool IsNullableProperty => !NullableVersions.IsEmpty || (Type == PrimitiveType.Records && !IsArray);
}
