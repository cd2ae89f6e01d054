namespace Freshet.Streaming.Windows;

/// <summary>Makes <see cref="EventTimeTrigger{T}"/>.</summary>
public static class EventTimeTrigger
{
    /// <summary>The trigger for records of type <typeparamref name="T"/> (one shared stateless instance).</summary>
    public static EventTimeTrigger<T> Create<T>() => EventTimeTrigger<T>.Instance;
}
