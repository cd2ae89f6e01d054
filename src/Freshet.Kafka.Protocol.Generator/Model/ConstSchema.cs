namespace Freshet.Kafka.Protocol.Generator.Model;

/// <summary>A named constant of a message (a well-known value of one of its fields), emitted as a public const.</summary>
internal sealed class ConstSchema
{
    public ConstSchema(string name, PrimitiveType type, string value, string doc)
    {
        Name = name;
        Type = type;
        Value = value;
        Doc = doc;
    }

    public string Name { get; }

    public PrimitiveType Type { get; }

    /// <summary>The value as a C# literal.</summary>
    public string Value { get; }

    public string Doc { get; }
}
