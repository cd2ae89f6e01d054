
namespace Freshet.Kafka.Protocol.Generator.Model;

/// <summary>A generated class: a request, a response, or a struct nested in one (inline or shared).</summary>
internal sealed class StructSchema
{
    public StructSchema(string name, StructKind kind, int line)
    {
        Name = name;
        Kind = kind;
        Line = line;
    }

    public string Name { get; }

    public StructKind Kind { get; }

    /// <summary>The 0-based line that names the struct, for diagnostics.</summary>
    public int Line { get; }

    /// <summary>The lines of the class's XML summary.</summary>
    public List<string> Doc { get; } = new();

    public List<ConstSchema> Consts { get; } = new();

    public List<FieldSchema> Fields { get; } = new();

    /// <summary>Whether a field line of the file defined this struct's body (false: the field only names it).</summary>
    public bool HasBody { get; set; }

    /// <summary>Whether some tagged field holds this struct, so writing it needs to know whether it holds its defaults.</summary>
    public bool NeedsDefaultCheck { get; set; }

    public bool IsMessage => Kind is StructKind.Request or StructKind.Response;
}
