using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.State;

/// <summary>Names a <see cref="ValueState{T}"/> of an operator (the name identifies it in snapshots) and its default value.</summary>
public sealed class ValueStateDescriptor<T> : StateDescriptor
{
    /// <summary>Describes a value state called <paramref name="name"/>; reads of an absent key return <paramref name="defaultValue"/>.</summary>
    public ValueStateDescriptor(string name, T defaultValue = default!)
        : base(name)
    {
        DefaultValue = defaultValue;
    }

    /// <summary>The value read for a key that has none.</summary>
    public T DefaultValue { get; }

    /// <summary>
    /// How the RocksDB state backend serializes the values (and checkpoints will); null uses <c>Serializers.Default</c>.
    /// Set it, for example, to a source-generated JSON serializer for trimmed applications.
    /// </summary>
    public ISerializer<T>? Serializer { get; init; }
}
