using Freshet.Streaming.Windows;

namespace Freshet.Streaming;

/// <content>Non-keyed windows.</content>
public sealed partial class DataStream<T>
{
    /// <summary>
    /// Groups the whole stream (not per key) into windows, as Flink's <c>windowAll</c>: the window operator runs at
    /// parallelism 1, so every record goes to one subtask.
    /// </summary>
    public AllWindowedStream<T> WindowAll(WindowAssigner assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        return new AllWindowedStream<T>(this, assigner);
    }
}
