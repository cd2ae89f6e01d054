namespace Freshet.Streaming.Windows;

/// <summary>Fixed-size, non-overlapping windows of processing time (the job's clock when a record arrives at the window operator).</summary>
public sealed class TumblingProcessingTimeWindows : WindowAssigner
{
    private TumblingProcessingTimeWindows(long sizeMs, long offsetMs)
        : base(sizeMs, sizeMs, offsetMs)
    {
    }

    internal override bool IsEventTime => false;

    /// <summary>Windows of <paramref name="size"/> aligned to the epoch, shifted by <paramref name="offset"/>.</summary>
    public static TumblingProcessingTimeWindows Of(TimeSpan size, TimeSpan offset = default) =>
        new((long)size.TotalMilliseconds, (long)offset.TotalMilliseconds);
}
