
namespace Freshet.Kafka.Protocol.Generator.Model;

/// <summary>One schema file: an API, its request and response messages and every struct they use.</summary>
internal sealed class ApiSchema
{
    public ApiSchema(string name, short key, VersionRange versions, VersionRange flexibleVersions)
    {
        Name = name;
        Key = key;
        Versions = versions;
        FlexibleVersions = flexibleVersions;
    }

    /// <summary>The API's name, also the name of its <c>ApiKeys</c> member.</summary>
    public string Name { get; }

    public short Key { get; }

    /// <summary>The versions the codec implements; Read and Write refuse any other.</summary>
    public VersionRange Versions { get; }

    /// <summary>The versions that use the flexible encoding (compact lengths, tagged fields).</summary>
    public VersionRange FlexibleVersions { get; }

    public StructSchema? Request { get; set; }

    public StructSchema? Response { get; set; }

    /// <summary>Every struct of the file, messages first, in the order they appear.</summary>
    public List<StructSchema> Structs { get; } = new();
}
