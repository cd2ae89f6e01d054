namespace Freshet.Streaming.Time;

/// <summary>
/// Factories for <see cref="WatermarkStrategy{T}"/>, named as in Flink:
/// <code>WatermarkStrategy.ForBoundedOutOfOrderness&lt;Event&gt;(TimeSpan.FromSeconds(5)).WithTimestampAssigner((e, _) =&gt; e.TimeMs)</code>
/// </summary>
public static class WatermarkStrategy
{
    /// <summary>
    /// Records may arrive up to <paramref name="maxOutOfOrderness"/> after a later one: the watermark is
    /// <c>maxEventTime − maxOutOfOrderness − 1 ms</c>, so a record that far behind the newest is still on time.
    /// </summary>
    public static WatermarkStrategy<T> ForBoundedOutOfOrderness<T>(TimeSpan maxOutOfOrderness)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOutOfOrderness, TimeSpan.Zero);
        return new WatermarkStrategy<T>((long)maxOutOfOrderness.TotalMilliseconds, timestampAssigner: null, idlenessMs: 0);
    }

    /// <summary>Event times never decrease within a split: the watermark is <c>maxEventTime − 1 ms</c>.</summary>
    public static WatermarkStrategy<T> ForMonotonousTimestamps<T>() => new(0, timestampAssigner: null, idlenessMs: 0);

    /// <summary>No watermarks until the end of a bounded input (event-time windows then fire only at the end).</summary>
    public static WatermarkStrategy<T> NoWatermarks<T>() => new(-1, timestampAssigner: null, idlenessMs: 0);

    /// <summary>
    /// The reader drives each split's watermark and idleness through <see cref="Sources.SourceOutput{T}"/>'s split
    /// methods; records keep the event time the reader gives them. For readers whose input carries watermarks.
    /// </summary>
    internal static WatermarkStrategy<T> DrivenByReader<T>() => new(0, timestampAssigner: null, idlenessMs: 0, drivenByReader: true);
}
