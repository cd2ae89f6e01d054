namespace Freshet.Streaming.Windows;

/// <summary>Fixed-size event-time windows starting every <c>slide</c>: a record is in <c>size / slide</c> windows (rounded up).</summary>
public sealed class SlidingEventTimeWindows : AlignedWindowAssigner
{
    private SlidingEventTimeWindows(long sizeMs, long slideMs, long offsetMs)
        : base(sizeMs, slideMs, offsetMs)
    {
    }

    /// <inheritdoc/>
    public override bool IsEventTime => true;

    /// <summary>Windows of <paramref name="size"/> starting every <paramref name="slide"/>, shifted by <paramref name="offset"/>.</summary>
    public static SlidingEventTimeWindows Of(TimeSpan size, TimeSpan slide, TimeSpan offset = default) =>
        new((long)size.TotalMilliseconds, (long)slide.TotalMilliseconds, (long)offset.TotalMilliseconds);
}
