using Freshet.Streaming.Windows.Triggers;

namespace Freshet.Streaming.Windows;

/// <summary>
/// Event-time sessions (Flink's <c>EventTimeSessionWindows</c>): each record opens the window
/// <c>[t, t + gap)</c>, and windows of one key that overlap or touch merge into one session, so a session ends after
/// a gap of inactivity. A record arriving out of order can bridge two sessions into one. Fires when the watermark
/// passes the session's end.
/// </summary>
public class EventTimeSessionWindows : WindowAssigner
{
    private readonly long _gapMs;

    private protected EventTimeSessionWindows(long gapMs)
    {
        _gapMs = gapMs;
    }

    /// <inheritdoc/>
    public override bool IsEventTime => true;

    internal override bool IsMerging => true;

    /// <summary>Sessions that end after <paramref name="gap"/> without a record of the key.</summary>
    public static EventTimeSessionWindows WithGap(TimeSpan gap) => new(SessionGap.ToMs(gap));

    /// <summary>Sessions whose gap is chosen per record by <paramref name="gapExtractor"/> (Flink's dynamic gap).</summary>
    public static EventTimeSessionWindows WithDynamicGap<T>(Func<T, TimeSpan> gapExtractor)
    {
        ArgumentNullException.ThrowIfNull(gapExtractor);
        return new DynamicGap<T>(gapExtractor);
    }

    internal override void AssignWindows<T>(T element, long timestamp, long processingTimeMs, List<TimeWindow> windows)
    {
        if (timestamp == long.MinValue)
        {
            throw new InvalidOperationException("A record has no event time. Event-time session windows need a WatermarkStrategy with a timestamp assigner on the source (or records with timestamps).");
        }

        windows.Add(new TimeWindow(timestamp, timestamp + GapOf(element)));
    }

    internal override Trigger<T> DefaultTrigger<T>() => EventTimeTrigger.Create<T>();

    private protected virtual long GapOf<T>(T element) => _gapMs;

    private sealed class DynamicGap<TElement>(Func<TElement, TimeSpan> extractor) : EventTimeSessionWindows(1)
    {
        private protected override long GapOf<T>(T element) => element is TElement typed
            ? SessionGap.ToMs(extractor(typed))
            : throw new InvalidOperationException($"The session gap extractor takes {typeof(TElement).Name} records, not {typeof(T).Name}.");
    }
}

/// <summary>Sessions of processing time (Flink's <c>ProcessingTimeSessionWindows</c>): a key's session ends after a gap of the job's clock without a record.</summary>
public sealed class ProcessingTimeSessionWindows : WindowAssigner
{
    private readonly long _gapMs;

    private ProcessingTimeSessionWindows(long gapMs)
    {
        _gapMs = gapMs;
    }

    /// <inheritdoc/>
    public override bool IsEventTime => false;

    internal override bool IsMerging => true;

    /// <summary>Sessions that end after <paramref name="gap"/> of processing time without a record of the key.</summary>
    public static ProcessingTimeSessionWindows WithGap(TimeSpan gap) => new(SessionGap.ToMs(gap));

    internal override void AssignWindows<T>(T element, long timestamp, long processingTimeMs, List<TimeWindow> windows) =>
        windows.Add(new TimeWindow(processingTimeMs, processingTimeMs + _gapMs));

    internal override Trigger<T> DefaultTrigger<T>() => ProcessingTimeTrigger.Create<T>();
}

/// <summary>Validates session gaps.</summary>
internal static class SessionGap
{
    public static long ToMs(TimeSpan gap)
    {
        var ms = (long)gap.TotalMilliseconds;
        return ms > 0 ? ms : throw new ArgumentOutOfRangeException(nameof(gap), gap, "A session gap must be at least one millisecond.");
    }
}

/// <summary>
/// One window holding every record of a key (Flink's <c>GlobalWindows</c>). It never fires by itself: give it a
/// trigger, e.g. <c>CountTrigger.Of(n)</c> (with <c>PurgingTrigger</c> to start over after each firing).
/// </summary>
public sealed class GlobalWindows : WindowAssigner
{
    private GlobalWindows()
    {
    }

    /// <summary>The window every record of a key belongs to: <c>[long.MinValue, long.MaxValue)</c>.</summary>
    public static TimeWindow Window { get; } = new(long.MinValue, long.MaxValue);

    /// <inheritdoc/>
    public override bool IsEventTime => false;

    /// <summary>The global window assigner.</summary>
    public static GlobalWindows Create() => new();

    internal override void AssignWindows<T>(T element, long timestamp, long processingTimeMs, List<TimeWindow> windows) => windows.Add(Window);

    internal override Trigger<T> DefaultTrigger<T>() => NeverTrigger<T>.Instance;
}
