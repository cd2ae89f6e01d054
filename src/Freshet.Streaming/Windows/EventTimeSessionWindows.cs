namespace Freshet.Streaming.Windows;

/// <summary>
/// Event-time session windows (Flink's <c>EventTimeSessionWindows</c>): a record at time <c>t</c> opens the window
/// <c>[t, t + gap)</c>, and windows of a key that overlap or touch merge into one session, so a session closes after
/// a gap without records. The gap is fixed (<see cref="WithGap"/>) or computed per record
/// (<see cref="WithDynamicGap{T}"/>). Merging combines accumulators with <c>IAggregateFunction.Merge</c>.
/// </summary>
public class EventTimeSessionWindows : WindowAssigner
{
    private readonly long _gapMs;

    private protected EventTimeSessionWindows(long gapMs)
    {
        _gapMs = gapMs;
    }

    /// <summary>The fixed gap in ms (0 for a dynamic gap).</summary>
    public long GapMs => _gapMs;

    internal override bool IsMerging => true;

    /// <summary>Sessions that close after <paramref name="gap"/> (positive) without records.</summary>
    public static EventTimeSessionWindows WithGap(TimeSpan gap)
    {
        var gapMs = (long)gap.TotalMilliseconds;
        if (gapMs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gap), "A session gap must be at least 1 ms.");
        }

        return new EventTimeSessionWindows(gapMs);
    }

    /// <summary>Sessions whose gap after each record is <paramref name="gapExtractor"/>(record); a gap below 1 ms fails the job with a clear error.</summary>
    public static EventTimeSessionWindows WithDynamicGap<T>(Func<T, TimeSpan> gapExtractor)
    {
        ArgumentNullException.ThrowIfNull(gapExtractor);
        return new DynamicEventTimeSessionWindows<T>(gapExtractor);
    }

    /// <summary>The gap after <paramref name="element"/> in ms.</summary>
    internal virtual long GapOf<T>(T element) => _gapMs;

    internal override void AssignWindows<T>(T element, long timestamp, long processingTimeMs, List<TimeWindow> windows)
    {
        var gap = GapOf(element);
        var end = timestamp > long.MaxValue - gap ? long.MaxValue : timestamp + gap;
        windows.Add(new TimeWindow(timestamp, end));
    }
}
