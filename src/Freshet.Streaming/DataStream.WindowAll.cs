using Freshet.Streaming.Windows;

namespace Freshet.Streaming;

public sealed partial class DataStream<T>
{
    /// <summary>Groups the whole stream, without a key, into the windows of <paramref name="assigner"/> (one subtask; Flink's <c>windowAll</c>).</summary>
    public AllWindowedStream<T> WindowAll(WindowAssigner assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        return new AllWindowedStream<T>(this, assigner);
    }
}
