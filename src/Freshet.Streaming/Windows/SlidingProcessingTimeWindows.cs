namespace Freshet.Streaming.Windows;

/// <summary>Fixed-size windows of processing time starting every <c>slide</c>: a record is in <c>size / slide</c> windows (rounded up).</summary>
public sealed class SlidingProcessingTimeWindows : WindowAssigner
{
    private SlidingProcessingTimeWindows(long sizeMs, long slideMs, long offsetMs)
        : base(sizeMs, slideMs, offsetMs)
    {
    }

    internal override bool IsEventTime => false;

    /// <summary>Windows of <paramref name="size"/> starting every <paramref name="slide"/>, shifted by <paramref name="offset"/>.</summary>
    public static SlidingProcessingTimeWindows Of(TimeSpan size, TimeSpan slide, TimeSpan offset = default) =>
        new((long)size.TotalMilliseconds, (long)slide.TotalMilliseconds, (long)offset.TotalMilliseconds);
}
