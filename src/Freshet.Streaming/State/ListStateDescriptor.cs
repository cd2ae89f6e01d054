namespace Freshet.Streaming.State;

/// <summary>Names a <see cref="ListState{T}"/> of an operator.</summary>
public sealed class ListStateDescriptor<T> : StateDescriptor
{
    /// <summary>Describes a list state called <paramref name="name"/>.</summary>
    public ListStateDescriptor(string name)
        : base(name)
    {
    }
}
