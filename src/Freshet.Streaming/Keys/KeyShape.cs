using System.Reflection;

namespace Freshet.Streaming.Keys;

/// <summary>How one key type is hashed: its kind and, for a composite, the fields hashed, in order. Immutable.</summary>
/// <param name="Fields">For <see cref="KeyShapeKind.Composite"/>: the instance fields, base types' first, each type's in declaration order; empty otherwise.</param>
/// <param name="Refusal">For <see cref="KeyShapeKind.Refused"/>: why the type cannot be hashed stably (a sentence fragment); null otherwise.</param>
internal sealed record KeyShape(KeyShapeKind Kind, IReadOnlyList<FieldInfo> Fields, string? Refusal)
{
    public static KeyShape Of(KeyShapeKind kind) => new(kind, [], null);

    public static KeyShape Refused(string why) => new(KeyShapeKind.Refused, [], why);
}
