namespace Freshet.Streaming.State;

/// <summary>Names a <see cref="ValueState{T}"/> of an operator (the name identifies it in snapshots) and its default value.</summary>
public sealed class ValueStateDescriptor<T>
{
    /// <summary>Describes a value state called <paramref name="name"/>; reads of an absent key return <paramref name="defaultValue"/>.</summary>
    public ValueStateDescriptor(string name, T defaultValue = default!)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        DefaultValue = defaultValue;
    }

    /// <summary>The state's name, unique within its operator.</summary>
    public string Name { get; }

    /// <summary>The value read for a key that has none.</summary>
    public T DefaultValue { get; }
}
