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
}
