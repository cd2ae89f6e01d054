using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.State;

/// <summary>Names a <see cref="ListState{T}"/> of an operator.</summary>
public sealed class ListStateDescriptor<T> : StateDescriptor
{
    /// <summary>Describes a list state called <paramref name="name"/>.</summary>
    public ListStateDescriptor(string name)
        : base(name)
    {
    }

    /// <summary>
    /// How the RocksDB state backend serializes the elements (and checkpoints will); null uses <c>Serializers.Default</c>.
    /// Set it, for example, to a source-generated JSON serializer for trimmed applications.
    /// </summary>
    public ISerializer<T>? Serializer { get; init; }
}
