namespace Freshet.Streaming.Windows;

/// <summary>
/// Assigns each record to event-time windows by its timestamp. Windows of size <see cref="SizeMs"/> start every
/// <see cref="SlideMs"/> ms, aligned to the epoch plus <see cref="OffsetMs"/> (tumbling: slide = size). Made by
/// <see cref="TumblingEventTimeWindows"/> and <see cref="SlidingEventTimeWindows"/>. Immutable.
/// </summary>
public abstract class WindowAssigner
{
    private protected WindowAssigner(long sizeMs, long slideMs, long offsetMs)
    {
        if (sizeMs <= 0 || slideMs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeMs), "Window size and slide must be positive.");
        }

        if (Math.Abs(offsetMs) >= slideMs)
        {
            throw new ArgumentOutOfRangeException(nameof(offsetMs), "The offset must be smaller than the slide (or size).");
        }

        SizeMs = sizeMs;
        SlideMs = slideMs;
        OffsetMs = offsetMs;
    }

    /// <summary>Window length in ms.</summary>
    public long SizeMs { get; }

    /// <summary>Distance between window starts in ms.</summary>
    public long SlideMs { get; }

    /// <summary>Shift of window starts from the epoch in ms.</summary>
    public long OffsetMs { get; }

    /// <summary>Flink's <c>TimeWindow.getWindowStartWithOffset</c>: the start of the window of width <paramref name="windowSize"/> holding <paramref name="timestamp"/>.</summary>
    internal static long WindowStart(long timestamp, long offset, long windowSize)
    {
        var remainder = (timestamp - offset) % windowSize;
        return remainder < 0 ? timestamp - (remainder + windowSize) : timestamp - remainder;
    }
}
