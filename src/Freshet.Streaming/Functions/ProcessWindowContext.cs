using Freshet.Streaming.Windows;

namespace Freshet.Streaming.Functions;

/// <summary>What a <see cref="ProcessWindowFunction{TIn, TOut, TKey}"/> sees besides the records: the window and time.</summary>
public abstract class ProcessWindowContext
{
    /// <summary>The window being fired, <c>[Start, End)</c>.</summary>
    public abstract TimeWindow Window { get; }

    /// <summary>The operator's current watermark (event time, ms).</summary>
    public abstract long CurrentWatermark { get; }

    /// <summary>The current processing time (Unix ms).</summary>
    public abstract long CurrentProcessingTime { get; }
}
