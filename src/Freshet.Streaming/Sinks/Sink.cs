namespace Freshet.Streaming.Sinks;

/// <summary>
/// Where a stream ends (Flink's Sink v2): a factory of one <see cref="SinkWriter{T}"/> per sink subtask.
/// Attach with <see cref="DataStream{T}.SinkTo"/>.
/// </summary>
public abstract class Sink<T>
{
    /// <summary>Creates the writer of one subtask; called on that subtask's task thread.</summary>
    public abstract SinkWriter<T> CreateWriter(SinkContext context);
}
