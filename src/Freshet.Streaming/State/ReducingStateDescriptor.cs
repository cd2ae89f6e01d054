using Freshet.Streaming.Serialization;

namespace Freshet.Streaming.State;

/// <summary>Names a <see cref="ReducingState{T}"/> of an operator and its reduce function.</summary>
public sealed class ReducingStateDescriptor<T> : StateDescriptor
{
    /// <summary>Describes a reducing state called <paramref name="name"/> that folds values with <paramref name="reduce"/> (shared by all subtasks: keep it free of mutable state).</summary>
    public ReducingStateDescriptor(string name, Func<T, T, T> reduce)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(reduce);
        Reduce = reduce;
    }

    /// <summary>Combines the current value and an added one.</summary>
    public Func<T, T, T> Reduce { get; }

    /// <summary>
    /// How the RocksDB state backend serializes the reduced value (and checkpoints will); null uses <c>Serializers.Default</c>.
    /// Set it, for example, to a source-generated JSON serializer for trimmed applications.
    /// </summary>
    public ISerializer<T>? Serializer { get; init; }
}
