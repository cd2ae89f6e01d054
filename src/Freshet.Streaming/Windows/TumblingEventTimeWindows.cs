namespace Freshet.Streaming.Windows;

/// <summary>Fixed-size, non-overlapping event-time windows: each record is in exactly one.</summary>
public sealed class TumblingEventTimeWindows : AlignedWindowAssigner
{
    private TumblingEventTimeWindows(long sizeMs, long offsetMs)
        : base(sizeMs, sizeMs, offsetMs)
    {
    }

    /// <inheritdoc/>
    public override bool IsEventTime => true;

    /// <summary>Windows of <paramref name="size"/> aligned to the epoch, shifted by <paramref name="offset"/> (e.g. a time zone).</summary>
    public static TumblingEventTimeWindows Of(TimeSpan size, TimeSpan offset = default) =>
        new((long)size.TotalMilliseconds, (long)offset.TotalMilliseconds);
}
