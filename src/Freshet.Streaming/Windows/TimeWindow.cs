namespace Freshet.Streaming.Windows;

/// <summary>A window of event time <c>[Start, End)</c> in ms, as in Flink: <see cref="End"/> is exclusive.</summary>
/// <param name="Start">First millisecond inside the window.</param>
/// <param name="End">First millisecond after the window.</param>
public readonly record struct TimeWindow(long Start, long End)
{
    /// <summary>The last millisecond inside the window, <c>End − 1</c>: the window fires when the watermark reaches it.</summary>
    public long MaxTimestamp => End - 1;

    /// <inheritdoc/>
    public override string ToString() => $"[{Start}, {End})";
}
