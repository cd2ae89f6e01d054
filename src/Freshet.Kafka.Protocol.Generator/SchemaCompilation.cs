using System.Collections.Immutable;

namespace Freshet.Kafka.Protocol.Generator;

/// <summary>
/// What one schema file compiles to: the generated sources (hint name and text) or the errors that
/// stopped it. Equal results compare equal, so the incremental pipeline skips unchanged files. Immutable.
/// </summary>
internal sealed class SchemaCompilation : IEquatable<SchemaCompilation>
{
    private SchemaCompilation(string path, ImmutableArray<KeyValuePair<string, string>> sources, ImmutableArray<SchemaError> errors)
    {
        Path = path;
        Sources = sources;
        Errors = errors;
    }

    public string Path { get; }

    public ImmutableArray<KeyValuePair<string, string>> Sources { get; }

    public ImmutableArray<SchemaError> Errors { get; }

    public static SchemaCompilation Compile(string path, IReadOnlyList<string> lines)
    {
        var api = SchemaParser.Parse(lines, out var errors);
        if (api is null || errors.Count > 0)
        {
            return new SchemaCompilation(path, ImmutableArray<KeyValuePair<string, string>>.Empty, errors.ToImmutableArray());
        }

        string file = System.IO.Path.GetFileName(path);
        return new SchemaCompilation(path, CodeEmitter.Emit(api, "Schemas/" + file).ToImmutableArray(), ImmutableArray<SchemaError>.Empty);
    }

    public bool Equals(SchemaCompilation? other) =>
        other is not null
        && Path == other.Path
        && Sources.SequenceEqual(other.Sources)
        && Errors.SequenceEqual(other.Errors);

    public override bool Equals(object? obj) => Equals(obj as SchemaCompilation);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Path) ^ Sources.Length;
}
