namespace Freshet.Streaming.Windows;

/// <summary>
/// Fixed-size, non-overlapping windows of processing time (the job's clock when the record is processed), fired by
/// the clock. Results depend on when records arrive, so they are not reproducible; prefer event time.
/// </summary>
public sealed class TumblingProcessingTimeWindows : AlignedWindowAssigner
{
    private TumblingProcessingTimeWindows(long sizeMs, long offsetMs)
        : base(sizeMs, sizeMs, offsetMs)
    {
    }

    /// <inheritdoc/>
    public override bool IsEventTime => false;

    /// <summary>Windows of <paramref name="size"/> of processing time, shifted by <paramref name="offset"/>.</summary>
    public static TumblingProcessingTimeWindows Of(TimeSpan size, TimeSpan offset = default) =>
        new((long)size.TotalMilliseconds, (long)offset.TotalMilliseconds);
}

/// <summary>Fixed-size windows of processing time starting every <c>slide</c>, fired by the job's clock.</summary>
public sealed class SlidingProcessingTimeWindows : AlignedWindowAssigner
{
    private SlidingProcessingTimeWindows(long sizeMs, long slideMs, long offsetMs)
        : base(sizeMs, slideMs, offsetMs)
    {
    }

    /// <inheritdoc/>
    public override bool IsEventTime => false;

    /// <summary>Windows of <paramref name="size"/> starting every <paramref name="slide"/> of processing time.</summary>
    public static SlidingProcessingTimeWindows Of(TimeSpan size, TimeSpan slide, TimeSpan offset = default) =>
        new((long)size.TotalMilliseconds, (long)slide.TotalMilliseconds, (long)offset.TotalMilliseconds);
}
