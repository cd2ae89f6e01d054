namespace Freshet.Streaming.Windows;

/// <summary>Makes <see cref="ProcessingTimeTrigger{T}"/>.</summary>
public static class ProcessingTimeTrigger
{
    /// <summary>The trigger for records of type <typeparamref name="T"/> (one shared stateless instance).</summary>
    public static ProcessingTimeTrigger<T> Create<T>() => ProcessingTimeTrigger<T>.Instance;
}
