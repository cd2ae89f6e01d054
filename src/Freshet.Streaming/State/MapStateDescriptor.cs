using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.State;

/// <summary>Names a <see cref="MapState{TUserKey, TValue}"/> of an operator.</summary>
public sealed class MapStateDescriptor<TUserKey, TValue> : StateDescriptor
    where TUserKey : notnull
{
    /// <summary>Describes a map state called <paramref name="name"/>.</summary>
    public MapStateDescriptor(string name)
        : base(name)
    {
    }

    /// <summary>
    /// How the RocksDB state backend serializes the user keys (and checkpoints will); null uses <c>Serializers.Default</c>.
    /// Set it, for example, to a source-generated JSON serializer for trimmed applications.
    /// </summary>
    public ISerializer<TUserKey>? KeySerializer { get; init; }

    /// <summary>
    /// How the RocksDB state backend serializes the values (and checkpoints will); null uses <c>Serializers.Default</c>.
    /// Set it, for example, to a source-generated JSON serializer for trimmed applications.
    /// </summary>
    public ISerializer<TValue>? ValueSerializer { get; init; }
}
