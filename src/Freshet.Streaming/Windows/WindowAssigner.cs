namespace Freshet.Streaming.Windows;

/// <summary>
/// Assigns each record to windows. Fixed-size assigners (<see cref="TumblingEventTimeWindows"/>,
/// <see cref="SlidingEventTimeWindows"/>, <see cref="TumblingProcessingTimeWindows"/>,
/// <see cref="SlidingProcessingTimeWindows"/>) make windows of size <see cref="SizeMs"/> starting every
/// <see cref="SlideMs"/> ms, aligned to the epoch plus <see cref="OffsetMs"/> (tumbling: slide = size), by event time
/// or by the job's clock. <see cref="EventTimeSessionWindows"/> make merging session windows and
/// <see cref="GlobalWindows"/> one window for all time; for those the three sizes are 0. Immutable.
/// </summary>
public abstract class WindowAssigner
{
    /// <summary>For assigners without a fixed size (sessions, global).</summary>
    private protected WindowAssigner()
    {
    }

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

    /// <summary>True when windows follow event time (records need timestamps and lateness applies); false for processing time.</summary>
    internal virtual bool IsEventTime => true;

    /// <summary>True when windows of a key can merge (sessions).</summary>
    internal virtual bool IsMerging => false;

    /// <summary>
    /// Adds the windows of a record with event time <paramref name="timestamp"/> arriving at processing time
    /// <paramref name="processingTimeMs"/> to <paramref name="windows"/>. This base version makes the fixed-size windows.
    /// </summary>
    internal virtual void AssignWindows<T>(T element, long timestamp, long processingTimeMs, List<TimeWindow> windows)
    {
        var time = IsEventTime ? timestamp : processingTimeMs;
        var lastStart = WindowStart(time, OffsetMs, SlideMs);
        for (var start = lastStart; start > time - SizeMs; start -= SlideMs)
        {
            windows.Add(new TimeWindow(start, start + SizeMs));
        }
    }

    /// <summary>The trigger used when <c>Trigger(...)</c> is not called.</summary>
    internal virtual Trigger<T, TimeWindow> DefaultTrigger<T>() =>
        IsEventTime ? EventTimeTrigger.Create<T>() : ProcessingTimeTrigger.Create<T>();

    /// <summary>Flink's <c>TimeWindow.getWindowStartWithOffset</c>: the start of the window of width <paramref name="windowSize"/> holding <paramref name="timestamp"/>.</summary>
    internal static long WindowStart(long timestamp, long offset, long windowSize)
    {
        var remainder = (timestamp - offset) % windowSize;
        return remainder < 0 ? timestamp - (remainder + windowSize) : timestamp - remainder;
    }
}
