namespace Freshet.Streaming.Functions;

/// <summary>Receives the records a user function emits (Flink's <c>Collector</c>). Valid only during the call it was passed to.</summary>
public abstract class Collector<T>
{
    /// <summary>Emits <paramref name="value"/> downstream, with the event time the operator defines for the call.</summary>
    public abstract void Collect(T value);
}
