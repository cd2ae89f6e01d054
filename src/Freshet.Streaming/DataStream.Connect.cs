namespace Freshet.Streaming;

public sealed partial class DataStream<T>
{
    /// <summary>Connects this stream with <paramref name="other"/> for one operator that sees both (Flink's <c>connect</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="other"/> belongs to another environment.</exception>
    public ConnectedStreams<T, T2> Connect<T2>(DataStream<T2> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        RequireSameEnvironment(other.Environment);
        return new ConnectedStreams<T, T2>(this, other);
    }
}
