using Freshet.Streaming.Windows.Triggers;

namespace Freshet.Streaming.Windows;

/// <summary>
/// Assigns each record to zero or more windows (Flink's <c>WindowAssigner</c>): aligned tumbling and sliding windows
/// in event or processing time (<see cref="AlignedWindowAssigner"/>), sessions that merge
/// (<see cref="EventTimeSessionWindows"/>, <see cref="ProcessingTimeSessionWindows"/>) and the one global window
/// (<see cref="GlobalWindows"/>). Every window is a <see cref="TimeWindow"/> <c>[Start, End)</c>. Each assigner has a
/// default <see cref="Trigger{T}"/>, replaced with <c>WindowedStream.Trigger</c>. Immutable.
/// </summary>
public abstract class WindowAssigner
{
    private protected WindowAssigner()
    {
    }

    /// <summary>True for event-time windows (fired by watermarks), false for processing-time and global windows.</summary>
    public abstract bool IsEventTime { get; }

    /// <summary>True for windows that merge when they overlap (sessions).</summary>
    internal virtual bool IsMerging => false;

    /// <summary>Adds the windows of a record to <paramref name="windows"/>.</summary>
    /// <param name="timestamp">The record's event time (ms), <see cref="long.MinValue"/> when it has none.</param>
    /// <param name="processingTimeMs">The task's processing time (Unix ms).</param>
    internal abstract void AssignWindows<T>(T element, long timestamp, long processingTimeMs, List<TimeWindow> windows);

    /// <summary>The trigger used when the stream sets none.</summary>
    internal abstract Trigger<T> DefaultTrigger<T>();

    /// <summary>Flink's <c>TimeWindow.getWindowStartWithOffset</c>: the start of the window of width <paramref name="windowSize"/> holding <paramref name="timestamp"/>.</summary>
    internal static long WindowStart(long timestamp, long offset, long windowSize)
    {
        var remainder = (timestamp - offset) % windowSize;
        return remainder < 0 ? timestamp - (remainder + windowSize) : timestamp - remainder;
    }
}

/// <summary>
/// Windows of a fixed size starting every <see cref="SlideMs"/> ms, aligned to the epoch plus <see cref="OffsetMs"/>
/// (tumbling: slide = size), in event time or processing time. Immutable.
/// </summary>
public abstract class AlignedWindowAssigner : WindowAssigner
{
    private protected AlignedWindowAssigner(long sizeMs, long slideMs, long offsetMs)
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

    internal override void AssignWindows<T>(T element, long timestamp, long processingTimeMs, List<TimeWindow> windows)
    {
        var time = IsEventTime ? timestamp : processingTimeMs;
        if (time == long.MinValue)
        {
            throw new InvalidOperationException("A record has no event time. Event-time windows need a WatermarkStrategy with a timestamp assigner on the source (or records with timestamps).");
        }

        for (var start = WindowStart(time, OffsetMs, SlideMs); start > time - SizeMs; start -= SlideMs)
        {
            windows.Add(new TimeWindow(start, start + SizeMs));
        }
    }

    internal override Trigger<T> DefaultTrigger<T>() => IsEventTime ? EventTimeTrigger.Create<T>() : ProcessingTimeTrigger.Create<T>();
}
